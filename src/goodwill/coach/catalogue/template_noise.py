"""Irritant: process boilerplate addressed at the ticketing system, not at the person."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump


def detect(s: Situation, c: Category) -> list[Hit]:
    return s.sentence_hits(c.pattern, bump("low", s.signals.strong_emotion))


CATEGORY = Category(
    name="template_noise",
    kind="irritant",
    order=10,
    summary="Lines written for the helpdesk software (reply markers, ticket status, surveys, "
    "do-not-reply notices) rather than for the customer.",
    detect=detect,
    phrases=(
        r"(?:type|write|add) your (?:reply|response) above this line|reply above this line",
        r"##-[^#\n]*-##|do not edit below this line",
        r"(?:add|type|write|reply) (?:\w+ )?above (?:these|this|the) (?:arrows?|line|marker)|"
        r"(?:sent|comes) from an? (?:no-?reply|unmonitored) (?:address|mailbox|inbox|account)",
        r"do not (?:reply|respond)(?: directly)?(?: to)? (?:this|these) (?:\w+ )?(?:e-?mails?|"
        r"messages?|address|mailbox)",
        r"(?:this|the) (?:e-?mail address|mailbox|inbox|address) is (?:not |un)monitored",
        r"(?:any )?replies (?:to this (?:e-?mail|message) )?(?:will not|won'?t|are not) be "
        r"(?:read|monitored)|replies are not monitored|unmonitored (?:mailbox|inbox|address)",
        r"replies to this (?:\w+ )?(?:address|e-?mail|mailbox|inbox|message) (?:are|will) not "
        r"(?:be )?(?:monitored|read|answered)|(?:this|the) (?:message|e-?mail|reply|notification) "
        r"was (?:automatically )?(?:generated|sent) (?:automatically|by|from) (?:the|our|an?) "
        r"(?:[\w-]+ ){0,4}(?:portal|system|platform|mailbox|service|app)",
        r"(?:this is an? )?(?:automated|automatic|auto-?generated) (?:message|reply|response|"
        r"e-?mail|"
        r"notification)",
        r"(?:ticket|case|request|conversation|enquiry)\s*(?:#|no\.?|number|id|ref(?:erence)?)\s*:?"
        r"\s*[\w-]*\d[\w-]*",
        r"(?:ticket|case|request|enquiry) \(#?\d+\)|case:\s*\d+",
        r"(?:has been|was) (?:set to|marked as) (?:solved|resolved|closed|pending)",
        r"status:\s*(?:pending|open|solved|closed|resolved|new)|priority:\s*\w+",
        # fourth pass: fields of a ticket separated by bars ("… | Status: … | Assigned: …")
        r"\|\s*(?:status|assigned(?: to)?|priority|queue|owner|agent|channel|category)\s*:",
        r"replying to this (?:e-?mail|message) will (?:re-?open|update)",
        r"to add (?:additional|further) comments",
        r"your (?:request|enquiry|query|ticket|e-?mail|message) (?:\(#?\d+\) )?(?:has been|was) "
        r"(?:received|updated|logged|assigned|created)",
        r"(?:has been|was) (?:assigned to a member|logged under)|average response time",
        r"how did we do|how would you rate|rate (?:this|your|our) (?:conversation|experience|"
        r"response|support|service|reply)|rate your experience",
        r"(?:take|complete) (?:our|a|this) (?:\d+-minute )?survey|tell us how we did",
        r"was this (?:response|answer|e-?mail|reply|article) helpful",
        r"did (?:this|that|we) (?:\w+ )?(?:answer|solve|resolve|help with) your (?:question|"
        r"problem|"
        r"query|issue|enquiry)",
        r"(?:sent|delivered) (?:via|by|from|through) (?:zendesk|freshdesk|intercom|salesforce|"
        r"hubspot|help ?scout|gorgias|front)",
        r"powered by (?:zendesk|freshdesk|intercom|salesforce|hubspot|help ?scout)|"
        r"this e-?mail is a service from",
        r"ref:_\w+|\[external(?: e-?mail)?\]",
        r"reply stop to",
        r"please (?:quote|include|use) (?:this|your|the) (?:\w+ )?(?:reference|case|ticket|claim)"
        r"(?: number)? in (?:all|any|the) (?:future )?(?:correspondence|replies|e-?mails|subject)",
        r"please do not (?:change|edit|remove) (?:the subject|below this line|this line)",
        r"chat transcript will be e-?mailed|conversation id",
        r"a member of (?:our|the) team will (?:be in touch|respond|reply|get back to you) within",
        r"your (?:message|enquiry|e-?mail|request) has been (?:received|logged|assigned)",
        # the helpdesk speaking: auto-replies, receipts, bare reference lines
        r"\[?auto(?:matic)?[- ]?(?:reply|response|responder)\]?|out of (?:the )?office",
        r"(?:we|i)(?:'ve| have) received your (?:message|e-?mail|enquiry|request|query|ticket)"
        r"[^.!?]{0,40}(?:will|aim to|endeavour to) (?:respond|reply|get back|be in touch|contact)",
        r"^(?:ticket|case|ref(?:erence)?|request|claim|enquiry)(?: (?:no|number|id|ref))?\.?\s*"
        r"[:#]?\s*[a-z]{0,4}-?\d[\w-]{3,}\.?$",
        r"please (?:quote|include|use|reference) (?:\w+ ){0,3}(?:reference|case|ticket|claim|ref)"
        r"(?: (?:number|no\.?))?(?: [\w-]*\d[\w-]*)? (?:in|on|when) (?:all|any|the|future|your)",
    ),
    examples=(
        "##- Please type your reply above this line -##",
        "Ticket #20394 has been set to Solved.",
        "How did we do? Rate this conversation.",
    ),
    explanations={
        "default": "“{trigger}” talks to the helpdesk, not to {name}; it reads as if nobody "
        "looked at the message before it went out.",
    },
    suggestions={
        "default": "Remove the line, or switch it off in the helpdesk template for replies "
        "written by a person.",
    },
)
