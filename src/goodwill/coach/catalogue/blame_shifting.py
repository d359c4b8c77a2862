"""Irritant: pushing the fault onto the customer, a policy, the system or another party."""

from __future__ import annotations

import re

from goodwill.coach.catalogue.ownership import FAULT
from goodwill.coach.situation import ACTED_ON_MATTER, OPERATOR_ACT, Situation
from goodwill.coach.spec import Category, Hit, bump

YOU = re.compile(r"\byou(?:r|'re|'ve)?\b", re.I)
# another party a reply can point at instead of acting
PARTY = (
    r"(?:airline|courier|carrier|manufacturer|supplier|landlord|retailer|provider|insurer|"
    r"installer|contractor|council|operator|agent|agency|hotel|seller|merchant|partner|"
    r"third[- ]party|bank|(?:card )?issuer|network|developer|vendor|host|adjuster|assessor|"
    r"warehouse|depot|factory|broker|lender|employer|marketplace|platform|store|shop|"
    r"regulator|authority|government|(?:sub)?contractor|franchisee|property|venue|"
    r"organi[sz]er|pharmacy|practice|surgery|university|college|school|hospital|clinic|"
    r"(?:line )?owner|underwriters?|underwriting (?:partner|team)|head office|headquarters|"
    r"(?:payment|card) processor|head office)s?"
)
# a role the customer holds, named instead of "you" ("the renter's", "the householder's")
ROLE = (
    r"(?:customer|renter|hirer|householder|homeowner|occupier|tenant|owner|passenger|traveller|"
    r"member|patient|policyholder|account holder|cardholder|sender|recipient|buyer|purchaser|"
    r"guest|parent|resident|driver|user|subscriber|applicant|client|keeper|borrower|holder)s?"
)
# the customer is told what they must do: the sentence is a demand, whatever it cites
OBLIGATION = re.compile(
    r"\b(?:must|required|need to|needs to|has to|have to|please (?:ensure|make sure|pay|provide|"
    r"send|return|note that \w+ must))\b",
    re.I,
)
# a benefit the system applies for the customer is not the system deciding against them
BENEFIT = re.compile(
    r"\b(?:credit|refund|discount|voucher|saving|reward|points|cashback|"
    r"compensation|rebate|free|complimentary|upgrade|bonus)",
    re.I,
)

# Shapes of blame that name no particular words: who holds the responsibility, who acted (a
# passive with another party as agent), a condition the customer did not meet.
SHAPES = (
    # responsibility handed to the customer's role ("… is the renter's responsibility")
    rf"(?:it is|it'?s|(?:is|are|was|were|remains?) (?:solely |entirely |always )?)(?:the )?"
    rf"{ROLE}[\x27’]?s? (?:own |sole )?responsibility",
    # a passive whose agent is another party: "refunds are processed by our payment provider"
    r"(?:is|are|was|were|been|get|gets) (?:\w+ )?(?:made|set|processed|handled|taken|decided|"
    r"determined|assessed|reviewed|approved|controlled|managed|issued|run|done|applied|"
    r"calculated|administered|underwritten) (?:entirely |solely |centrally |directly )?by "
    rf"(?:the|our|your|their|a|an) (?:[\w\x27’-]+ ){{0,2}}?{PARTY}\b",
    # someone here cannot touch the outcome ("customer services are unable to influence")
    r"(?<!you )(?:cannot|can'?t|(?:are|is|am) (?:unable|not able|powerless) to|have no (?:power|"
    r"ability|authority) to) (?:\w+ )?(?:influence|override|overrule|alter|intervene in|"
    r"change) (?:the|this|that|their|its) (?:outcome|decision|result|assessment|rule)",
    r"(?:had|have|has) no (?:choice|option|alternative) (?:but|other than) to",
    # the customer's own input as the source: "as supplied", "signed by yourself"
    r"(?:completed|signed|filled in|entered|supplied|provided|submitted|chosen|selected|typed|"
    r"approved|written) (?:and \w+ )?by (?:yourself|you)\b|as (?:you )?(?:supplied|provided|"
    r"submitted|entered)(?: (?:it|them|by you))?\b(?! us with\b)",
    # a condition the customer did not meet, so nothing could be done
    r"(?:was|were|had|has|have)(?: not|n'?t)(?: been)? \w+(?:ed|en)\b[^.!?]{0,80}?,? (?:so|"
    r"therefore|which (?:is why|means)) (?:it|we|they|the \w+|this) (?:could|can|was|were|"
    r"would)(?:n'?t| not)",
    # what happened depends on a step the customer did or did not take earlier
    r"unless you (?:had |have )?(?:already |previously )?\w+ed\b",
    r"depending on (?:your|the) (?:[\w-]+ )?(?:bank|card issuer|provider|network|carrier|"
    rf"courier|employer|{PARTY})\b",
    # a rule cited as the frame of a refusal: "In line with our terms, … cannot be …"
    r"^(?:in (?:line|accordance|keeping) with|under|per|as per) (?:our|the) (?:[\w-]+ ){0,3}"
    r"(?:terms|policy|policies|conditions|rules|procedures?|guidelines|t&cs)\b",
)


# Fourth pass: who is the agent of the failure. The sentence names someone other than us as the
# one who acted or decides (another party, a machine, the customer's own input or settings), or
# says that nobody here could have acted; written as frames with open slots, not as phrases.
AGENT_SHAPES = (
    # a modal passive whose agent is another party: "has to be approved by the landlord"
    r"(?:(?:has|have|needs?|will need|would need) to|must|should) be (?:\w+ )?(?:approved|"
    r"authori[sz]ed|"
    r"signed off|agreed|confirmed|released|processed|assessed|decided|issued|cleared|checked) "
    rf"(?:first )?by (?:the|your|their|a|an) (?:[\w\x27’-]+ ){{0,2}}?{PARTY}\b",
    # waiting on someone else to act: "we are still waiting for him to come back to us"
    r"(?:we|i)(?:'re|'m| are| am|'ve been| have been) (?:still )?waiting (?:for|on) "
    rf"(?:him|her|them|the (?:[\w\x27’-]+ ){{0,2}}?{PARTY}) to\b",
    # nobody here could have acted: "there was nothing our team could have done"
    r"nothing (?:that )?(?:we|i|(?:our|the) (?:\w+ )?(?:team|staff|branch|pharmacy|office|desk)|"
    r"anyone(?: here)?) could (?:have )?(?:done|do)\b",
    r"(?:is|'s) not something (?:that )?(?:we|i|our (?:\w+ )?(?:team|staff)|the \w+ team|anyone|"
    r"staff) (?:can|could|are able to|is able to|am able to) (?:\w+ )?(?:override|change|alter|"
    r"influence|overturn|reverse|undo)",
    # a machine as the one that decides against the customer: "our system automatically rejects"
    r"(?:system|software|algorithm|filter|scanner|machine|checks?) (?:will )?(?:automatically )?"
    r"(?:rejects?|declines?|blocks?|refuses?|cancels?|suspends?|flags?|bars?|bans?|removes?|"
    r"closes?|locks?)\b",
    # the customer's own act named as a breach of the rules
    r"(?:a |an )?(?:clear )?(?:violation|breach|contravention|infringement|misuse) of (?:our|the) "
    r"(?:[\w-]+ ){0,2}(?:terms|rules|policy|conditions|code|agreement|licen[cs]e|eula)",
    # the customer's input, in the passive, as the cause: "they have been entered incorrectly"
    r"(?:been|was|were|is|are|be) (?:entered|typed|keyed|filled in|filled out|completed|addressed|"
    r"written|input|submitted|selected|scanned|labelled|labeled) (?:in )?(?:incorrectly|wrongly|"
    r"inaccurately|by mistake|in error|with (?:a|an) (?:typo|error|mistake))\b",
    # responsibility named as the customer's, anywhere in the sentence
    r"(?:is|are|was|were|remains?|be) (?:entirely |solely |always |ultimately )?your "
    r"(?:own |sole )?responsibility",
    # a failure with an outside cause: "was delayed as a result of …", "caused by a lack of …"
    r"(?:was|were|has been|have been|got) (?:\w+ )?(?:delayed|held up|late|cancell?ed|missed|"
    r"postponed|held|rejected|declined|blocked|refused) (?:\w+ )?(?:as a (?:direct )?result of|"
    r"because of|owing to|on account of|due to) [^.!?]{0,80}?(?:the|our|your|their|a|an) "
    rf"(?:[\w\x27’-]+ ){{0,2}}?{PARTY}\b",
    r"(?:caused|explained) by (?:a |the )?(?:lack|absence) of\b",
    # a document the customer signed, as the subject that decides: "the form you signed authorises"
    r"(?:form|document|declaration|waiver|mandate|agreement|contract|estimate|quote|consent|"
    r"application|booking)s? (?:that |which )?you (?:signed|agreed to|accepted|completed|filled "
    r"in|initialled|ticked|approved)\b",
    # the customer sent elsewhere for the remedy: "refund requests have to be made directly to …"
    r"(?:has|have|needs?|must|should|will need|would need) to be (?:made|sent|raised|submitted|"
    r"directed|addressed|taken up|requested|claimed|lodged|filed|pursued) directly (?:to|with|"
    r"through) (?!us\b|me\b|our\b|this\b)\w+",
    # the failure guessed to lie on the customer's side: "most likely taken in by a neighbour"
    r"(?:likely|probably|possibly|presumably|perhaps|may have been|might have been)[^.!?]{0,60}?"
    r"(?:\bby (?:a |your |the )?(?:neighbou?r|someone (?:else )?(?:at|in) your|member of your|"
    r"family member|household)|\bon your (?:property|premises|doorstep|porch|driveway))",
    # the customer's own bank, GP or department as the one that acted or failed to
    rf"(?:your|the customer'?s) (?:[\w\x27’-]+ ){{0,2}}?(?:{PARTY}|gp|doctor|department|"
    r"employer|school|accountant|solicitor) (?:refused|declined|rejected|returned|bounced|blocked|"
    r"stopped|cancell?ed|recalled|reversed)\b",
    r"(?:they|(?:your|the) (?:[\w\x27’-]+ ){0,2}?(?:department|office|gp|doctor|school|"
    r"employer|tutor|landlord|bank|agent|insurer|supplier)) (?:haven'?t|hasn'?t|have not|has not)"
    r" (?:yet |actually )?(?:done so|(?:\w+ed|sent|done)(?: (?:it|them|this|that|us|anything))?"
    r" yet)\b",
    # a passive refusal with the customer's side as the missing agent
    r"(?:could|can)(?:n'?t| not) be \w+(?:ed|en) (?:as|because|since) (?:it|they|the \w+|your "
    r"\w+) (?:had|has|have|was|were)(?:n'?t| not)(?: been)? \w+(?:ed|en) by (?:your|the|their)\b",
    # someone else's people as the agent ("the driver was kept waiting by their events staff")
    r"(?:\w+(?:ed|en)|held|kept|left|sent|told|made|put|set|lost|caught)(?: up| back| out| off)? "
    r"(?:\w+ )?by their (?:[\w-]+ ){0,2}?(?:staff|team|people|crew|agents?|drivers?|"
    r"managers?|colleagues)\b",
    # a team here with no say over what went wrong
    r"(?:has|have|had) (?:no|little) (?:say|input|influence) (?:in|over|on)\b",
    # another party's step told as the reason: "the surgery did not send … until …, so …"
    rf"(?:the|your) (?:[\w\x27’-]+ ){{0,2}}?{PARTY} (?:did not|didn'?t|had not|hadn'?t|has not|"
    r"hasn'?t|never) \w+[^.!?]{0,60}?(?:until|in time|so (?:we|there|it)|which is why)\b",
    # Fifth pass. Another party's possessive responsibility: "it is the courier's responsibility"
    r"(?:is|are|was|were|becomes?|remains?) (?:now |then |solely |entirely )?(?:the |their )?"
    rf"(?:[\w-]+ )?(?:{PARTY}|firm|haulier|driver)[\x27’]s? (?:own |sole )?responsibility",
    # the risk handed to the customer: "the usage was at your own risk"
    r"at (?:your|the customer'?s|the (?:passenger|owner|sender|buyer)'?s) own risk",
    # the customer presumed to have been told: "You would have received a text …, so …"
    r"^you (?:would|will|should) have (?:received|been sent|been given|seen|been told|been "
    r"notified)\b[^.!?]{0,120}?\bso\b",
    # a typical cause told instead of investigating this one: "is almost always caused by …"
    r"(?:is|are) (?:almost always|nearly always|always|typically|normally|generally|mostly|most "
    r"often|in most cases|nearly all|usually|often|most likely) (?:caused by|due to|the result "
    r"of|down to)\b",
    r"(?:almost always|nearly always|usually|typically|generally|normally|mostly|most often|"
    r"invariably) (?:come|comes) down to\b",
    # Seventh pass: a supplier named as the one who failed us ("our box supplier let us down")
    rf"(?:the|our|your) (?:[\w\x27’-]+ ){{0,2}}?{PARTY} (?:let us down|(?:has|have) let us down|"
    r"failed us|failed to deliver|didn'?t deliver|did not deliver)\b",
    # the machine as the one that takes the money: "otherwise the system takes the payment"
    r"(?:the|our) (?:[\w-]+ )?(?:system|software|platform) (?:will )?(?:automatically )?(?:takes?|"
    r"charges?|debits?|bills?|collects?) (?:the|your|a) (?:\w+ )?(?:payment|fee|charge|amount)",
    # our machine as the one that refuses: "Our system doesn't accept cancellations by email"
    r"(?:our|the) (?:[\w-]+ )?(?:system|software|portal|platform) (?:does not|doesn'?t|won'?t|will "
    r"not|cannot|can'?t) (?:accept|allow|let|permit|take|process|recognise|recognize)\b",
    # the customer's side measured against our rules: "the packaging didn't meet our guidelines"
    r"(?:did not|didn'?t|does not|doesn'?t|do not|don'?t|failed to|wasn'?t|was not) (?:meet|"
    r"comply with|follow|conform to|satisfy|in line with|in accordance with) (?:our|the) "
    r"(?:[\w\x27’-]+ ){0,3}(?:guidelines|requirements|standards|rules|terms|criteria|"
    r"specifications?)",
)
# a time the money will take, hedged by the customer's bank: a caveat inside a commitment
# ("The refund will land on your card in 3 to 5 working days, depending on your bank"), not
# the fault moved ("refunds can take longer depending on your bank" is still blame)
COMMITTED_TIME = re.compile(
    r"\bwill (?:\w+ ){0,5}?(?:in|within) (?:\d+|one|two|three|five|ten)(?: (?:to|-|–|or) "
    r"(?:\d+|two|three|five|ten))? (?:working |business |banking )?(?:days|hours)\b",
    re.I,
)
DEPENDS = re.compile(r"^depending on", re.I)
# a rule cited with why the rule exists ("because the year is discounted on that basis"), in a
# reply that then does what it can ("I've cancelled the renewal and refunded …"): an explained
# refusal with an alternative, the shape the labelling rules keep from dismissal and blame
RULE_CITED = re.compile(r"\b(?:terms|policy|policies|conditions|contract|rules)\b", re.I)
RATIONALE = re.compile(
    r"\b(?:because|since) (?!you\b|your\b)(?:the|this|that|it|we|our|these|those)\b", re.I
)
# citing the customer's own account settings as the reason something happened
SETTINGS = re.compile(
    r"\bin (?:line|accordance|keeping) with (?:the |your )(?:[\w-]+ ){0,2}(?:preferences|settings|"
    r"choices|selection|options) (?:on|in|for) your (?:account|profile|booking|order)\b",
    re.I,
)
# a first-person action in the same sentence: we acted on their settings, not blamed them
ACTED = re.compile(r"\b(?:i|we)(?:'ve| have| had|'d)? (?:\w+ed|set|put|made|kept)\b", re.I)
# the sentence is told as a lesson ("You may not be aware that …", "As clearly stated on the
# page …", "To explain, …"): that is the patronising finding, unless it cites a rule text or
# names the customer's omission ("As stated in our terms", "…, you should have …"), which blames
RULE_OR_FAULT = re.compile(
    r"\b(?:terms|policy|policies|contract|conditions|t&cs|agreement)\b|\byou (?:should|ought to)"
    r" have\b|\byou (?:failed|neglected|forgot) to\b|\byou (?:did not|didn'?t)\b",
    re.I,
)
LESSON = re.compile(
    r"^(?:just )?(?:as (?:clearly |already |previously )?(?:stated|explained|outlined|set out|"
    r"mentioned|described|shown|detailed)|you (?:may|might) not (?:be aware|know|realise|realize|"
    r"have (?:noticed|realised|realized))|to (?:explain|clarify),|as you (?:will |should |may )?"
    r"(?:know|be aware|are aware))\b",
    re.I,
)


# the customer asked who does it ("Who actually lends the money?"): naming them is the answer
ASKED_WHO = re.compile(
    r"\bwho (?:is|are|was|will|actually|exactly|really|provides?|lends?|runs?|owns?|handles?|"
    r"operates?|does|do|sets?|decides?)\b",
    re.I,
)


def detect(s: Situation, c: Category) -> list[Hit]:
    heated = s.signals.complaint and (s.signals.strong_emotion or s.signals.breach)
    heated = heated or s.signals.first_disagreement
    owned = {h.start for h in s.found.get("ownership", [])}
    # a demand quoting the contract is one problem (the demand), not two
    demands = {
        (h.start, h.end)
        for h in s.found.get("blunt_demand", [])
        if OBLIGATION.search(s.reply[h.start or 0 : h.end or 0])
    }
    severity = bump("medium", heated)
    hits = s.sentence_hits(c.pattern, severity)
    seen = {h.start for h in hits}
    for x in s.sentences:
        m = SETTINGS.search(x.text)
        if x.start not in seen and m and not ACTED.search(x.text):
            hits.append(Hit(x.start, x.end, severity, "default", m.group(0)))
    return [
        h
        for h in sorted(hits, key=lambda h: h.start or 0)
        # admitting our fault, or naming the customer's slip while fixing it ourselves, is an
        # explanation, not shifting the blame
        if not (h.start in owned and YOU.search(h.trigger))
        and (FAULT is None or not FAULT.search(_with_next(s, h)))
        and (h.start, h.end) not in demands
        and not ("automatic" in h.trigger.lower() and BENEFIT.search(_text(s, h)))
        and not ("automatic" in h.trigger.lower() and OPERATOR_ACT.search(_text(s, h)))
        and not (LESSON.search(_text(s, h)) and not RULE_OR_FAULT.search(_text(s, h)))
        and not (DEPENDS.search(h.trigger) and COMMITTED_TIME.search(_text(s, h)))
        and not _explained_rule(s, h)
        and not (ASKED_WHO.search(s.customer) and not YOU.search(_text(s, h)))
    ]


def _explained_rule(s: Situation, h: Hit) -> bool:
    """A rule cited with its rationale, followed by what the operator did instead."""
    text = _text(s, h)
    if not (RULE_CITED.search(h.trigger) and RATIONALE.search(text)):
        return False
    if YOU.search(text):
        return False  # the rationale names the customer: that is the fault moved
    return ACTED_ON_MATTER.search(s.reply[h.end or 0 :]) is not None


def _with_next(s: Situation, h: Hit) -> str:
    """The sentence and the one after it: a rule cited, then our failure to follow it admitted."""
    after = [x.text for x in s.sentences if x.start >= (h.end or 0)][:1]
    return " ".join([_text(s, h), *after])


def _text(s: Situation, h: Hit) -> str:
    return s.reply[h.start or 0 : h.end or 0]


CATEGORY = Category(
    name="blame_shifting",
    kind="irritant",
    order=32,
    summary="'That is how the system works', 'as per our policy', 'you should have…', 'the courier "
    "is responsible': moving the fault away instead of dealing with it.",
    detect=detect,
    phrases=(
        *SHAPES,
        *AGENT_SHAPES,
        r"(?:that|this|it)(?:'s| is) (?:just )?(?:how|the way) (?:the |our |it |things )?(?:\w+ )?"
        r"(?:system )?(?:works?|is designed|operates)",
        r"is how (?:our|the) (?:\w+ )?(?:system )?works|how the system is designed",
        r"(?:as per|per|according to) (?:our|the|company|clinic) (?:\w+ ){0,2}(?:policy|policies|"
        r"terms|conditions|procedures?)|(?:as per|under|per) (?:section|clause|article) \d",
        r"as (?:required|permitted|allowed|set out|stipulated|specified) (?:by|in|under) "
        r"(?:our|the|your) (?:[\w\x27’-]+ ){0,3}(?:terms|policy|contract|agreement|conditions|"
        r"rules|guidelines|regulations)",
        r"\bclearly (?:states?|stated|lists?|listed|shows?|set out|explains?)\b",
        # "our policy" denied ("no, it isn't our policy") is an answer, not a rule cited
        r"(?:our|the) policy is|(?<!not )(?<!n't )(?<!n’t )our policy|(?:policy|system|terms) "
        r"(?:does not|doesn'?t|do not|don'?t) (?:allow|permit)",
        r"the system (?:does not|doesn'?t|won'?t|will not|cannot|decides)|it is the system that|"
        r"(?:set|decided|calculated) (?:automatically )?by (?:the|our) (?:\w+ )?system",
        r"you (?:should|ought to) have (?:read|checked|submitted|saved|contacted|called|told|"
        r"informed|followed|kept|updated|noticed|provided|sent|selected|entered|known|asked|made "
        r"sure|backed up|given)|you should never|you (?:failed|neglected) to",
        r"you (?:did not|didn'?t) (?:follow|read|provide|submit|check|select|enter|inform|tell|"
        r"contact|update|save)",
        r"(?:caused|due) (?:by|to) (?:your|the customer'?s|you|incorrect|browser|an unstable)|"
        r"(?:usually|often) caused by",
        r"(?:due to|because of) your",
        # the customer's own step, late or missing, named as the cause: "was caused by the late
        # approval of your proof"
        r"(?:caused|due) (?:by|to) (?:the|a|an) (?:[\w-]+ ){0,3}(?:of|on|from|in|with) your\b",
        # the remedy placed with another party: "you will need to request a refund from them
        # directly"
        r"you(?:[\x27’]ll| will)? (?:need|have) to [^.!?]{0,60}?\b(?:from|with|through|to) "
        r"(?!us\b|me\b|our\b)(?:them|(?:the |your )?(?:[\w-]+ ){0,2}[\w-]+) directly\b",
        r"(?:not|n'?t) (?:our|my) (?:fault|responsibility|error|mistake)",
        r"(?:their|his|her|the \w+'?s) (?:own )?(?:mistake|fault|error),? (?:and )?not (?:ours|"
        r"mine|our)",
        r"not something (?:that )?(?:we|i|(?:the|our) (?:[\w-]+ ){0,2}team|staff) (?:has|have) "
        r"(?:any|much) (?:say|control|influence) (?:over|in|on)",
        r"(?:isn'?t|wasn'?t|is not|was not|aren'?t|weren'?t|not) (?:\w+ )?(?:prepared|supplied|set "
        r"up|formatted|packed|packaged|submitted|sent) (?:to|according to|in line with|in "
        r"accordance with) (?:our|the) (?:[\w-]+ )?(?:spec|specs|specifications?|guidelines|"
        r"requirements|standards)",
        r"(?:are|is|were|cannot be|can'?t be) not (?:held )?(?:responsible|liable|accountable)|"
        r"(?:cannot|can'?t) be held (?:responsible|liable)|we are not responsible",
        r"(?:is|are|was|were) (?:the )?(?:responsibility|fault) of|(?:it is|it'?s) (?:the "
        r"customer'?s|your) responsibility|it is your responsibility|(?:homeowner|customer|"
        r"occupier|passenger)'?s responsibility|responsibility of the (?:occupier|customer|"
        r"homeowner)|lies with the",
        r"(?:you will|you'?ll) need to (?:contact|speak to|take (?:this|it) up with|raise (?:this|"
        r"it)"
        r" with|check with) (?:the|your|them)|contact (?!you\b|us\b|me\b)(?:them|\w+) directly",
        r"(?:delay|charges?|issues?) (?:is|are|must be) (?:down to|discussed with)|must be "
        r"(?:submitted|discussed|raised) (?:to|with) them",
        r"(?:outside|beyond) (?:of )?(?:our|my|their) control|(?:falls|is) (?:outside|not within) "
        r"(?:our|my) (?:remit|control|responsibility)",
        r"independent(?:ly operated)? (?:\w+ )?(?:contractor|franchise|company)|separate service|"
        r"(?:operated|managed|employed|provided|handled|carried out|run) by (?:a |an |the |our )?"
        r"(?:\w+'?s? ){0,2}?(?:separate|independent|handling|ground|third[- ]party|delivery|"
        r"contractor|agent|partner)",
        r"(?:who|which|they) (?:is|are) responsible for|which is why you (?:didn'?t|did not|"
        r"weren'?t|haven'?t)",
        r"(?:we|the \w+|this (?:team|department|office)) (?:does|do) not (?:manage|handle|control|"
        r"deal with|run|own)",
        # another team as the one on it; not our own team's workload ("our finance team is
        # dealing with a very high number of requests" undermines, it does not blame)
        r"(?:another|the other|a different|our \w+) (?:team|department) (?:was|were|is) "
        r"(?:handling|responsible|dealing)(?![^.!?]{0,30}\b(?:high|large|huge|record|unusual) "
        r"(?:number|volume|level|amount)s?\b)",
        r"(?:has|have) no (?:involvement|control)|limited influence over",
        r"(?:clearly )?(?:stated|set out|listed|explained) in (?:the|your|our) (?:\w+ )?(?:terms|"
        r"contract|t&cs|policy|tariff|conditions|agreement)",
        r"(?:terms and conditions|terms|contract|agreement) (?:that )?you (?:agreed to|accepted|"
        r"signed)|which you (?:accepted|agreed to|signed)|by signing",
        # "our records show" contradicts the customer only with a denial or a "last"
        r"our records show (?:that )?(?:the last\b|you(?=[^.!?]*(?:\bnot|\bno|\bnever|n't|\blast|"
        r"\bonly)\b))|according to our records,? you",
        r"(?:based on|due to) the (?:\w+ )?(?:information|details) you (?:provided|entered)",
        r"force majeure|(?:was|were|has been) caused by (?:our|a|the) (?:\w+ ){0,2}(?:supplier|"
        r"provider|courier|partner)",
        r"standard (?:industry )?practice",
        r"(?:the )?responsibility for [^.!?]{0,30} lies",
        r"you (?:opted|agreed|signed|accepted|ticked) (?:in|up|to)\b",
        r"(?:our|the) records (?:show|indicate) (?:that )?(?:the last\b|(?:you|your)\b(?=[^.!?]*"
        r"(?:\bnot|\bno|\bnever|n't|\blast|\bonly)\b))",
        r"(?:is|are|was|were) (?:generated|sent|handled|managed|run|provided|operated|controlled) "
        r"(?:automatically )?by (?:the|a|an|their|another|a separate|an external)\b",
        r"and not (?:by )?(?:the|this|our) (?:airline|practice|clinic|department|company|store|"
        r"team|shop)",
        r"(?:have|has) no control over|no control over",
        r"(?:may|might|could) (?:be|have been) (?:caused|related|due) (?:by|to)",
        r"you(?:'d| would)? (?:need|have) to (?:chase|complain to|write to|raise (?:it|this) "
        r"with) (?:the|your|their|them)\b",
        r"(?:you will|you'?ll|you) (?:need|have) to (?:contact|speak to|call|ask|get in touch with|"
        r"take (?:this|it) up with) (?:the|your|their|them)",
        r"(?:as|which is) (?:set out|stated|explained|listed|detailed) in (?:the|your|our) (?:\w+ "
        r"){0,2}(?:terms|contract|summary|guide|agreement|policy|conditions|documents?)",
        r"it (?:may|might|could) be that (?:you|your)",
        # a rule text as the grammatical subject that decides ("our terms state that …")
        r"(?:our|the|your) (?:\w+ )?(?:terms|policy|policies|conditions|contract|rules|guidelines|"
        r"procedures?|agreement|t&cs)(?: (?:and|&) conditions| of (?:service|business|carriage|use|"
        r"sale|membership))? "
        r"(?:clearly )?(?:state|states|say|says|require|requires|specify|specifies|stipulate|"
        r"stipulates|mean|means|dictate|dictates|are clear|is clear)\b",
        r"(?:is|are|was|were|been) (?:\w+ ){0,3}in (?:line|accordance|keeping) with (?:(?:our|the) "
        r")?(?:\w+ ){0,2}(?:policy|policies|"
        r"procedures?|terms|process|guidelines|rules|conditions)",
        # a fact about the product excused by where it was written down
        r"as (?:clearly )?(?:described|stated|set out|outlined|explained|detailed|listed|shown|"
        r"specified|noted) (?:in|on) (?:the|our|your|every|all (?:of )?(?:our|the)) (?:\w+ ){0,2}"
        r"(?:terms|conditions|contract|product (?:page|pages|description|listing)|listing|"
        r"description|policy|agreement|t&cs|price (?:guide|list)|tariff|schedule|fine print)",
        r"(?:is|are) (?:clearly )?(?:set out|stated|listed|explained|detailed|described|specified)"
        r" (?:in|on) (?:the|our|your) (?:\w+ ){0,2}(?:terms|conditions|contract|price (?:guide|"
        r"list)|tariff|schedule|guide|policy|agreement)",
        # another party is the one responsible, or the one we must wait for
        r"(?:the|your|their) (?:\w+ ){0,2}(?:airline|courier|carrier|manufacturer|supplier|"
        r"landlord|retailer|provider|insurer|installer|contractor|council|operator|agent|hotel|"
        r"seller|merchant|partner|third[- ]party|bank|network|developer|vendor|host)(?: company)? "
        r"(?:is|are|was|were) (?:solely |fully |ultimately |directly )?(?:responsible|liable|"
        r"accountable)",
        r"\w+ed by (?:a|an|the|our|their) (?:\w+ )?(?:third[- ]party|external|separate|"
        r"independent|outside|partner|outsourced) ?(?:\w+)?",
        r"(?:we(?:'ll| will)?|i(?:'ll| will)?) (?:have to|need to|must|can only) wait (?:for|until|"
        r"on) (?:them|they|the (?:\w+ )?(?:courier|airline|supplier|manufacturer|bank|company|"
        r"provider|contractor|partner|council|operator|insurer))",
        # the system, not a person, decided, and nobody can change it
        r"(?:reviewed|decided|set|calculated|determined|generated|assessed|applied|processed|"
        r"handled|picked up|taken into "
        r"account|flagged|triggered|controlled|made|checked|screened|verified|declined|rejected|"
        r"blocked) (?:\w+ ){0,2}by (?:our|the|an) (?:[\w\x27’-]+ ){0,2}"
        r"(?:automated |automatic )?(?:systems?|algorithms?|software|computer)\b",
        r"(?:staff|we|i|agents|advisers|advisors|colleagues|(?:the|our) team|branches|anyone)"
        r" (?:here )?(?:cannot|can'?t|are unable to|is unable to|am unable to|have no way to|are "
        r"not able to|aren'?t able to|have no (?:power|ability) to) (?:\w+ )?(?:override|overrule|"
        r"alter|influence|intervene)",
        r"(?:are|is|were|was) (?:\w+ )?(?:applied|generated|set|issued|charged|calculated|"
        r"triggered|added|renewed) automatically",
        # the customer's own information or action as the cause
        r"(?:because|as|since) (?:the|your) (?:\w+ ){0,5}(?:was|were|had been) (?:incomplete|"
        r"incorrect|inaccurate|missing|wrong|illegible|invalid|out of date|not (?:completed|"
        r"signed|provided))",
        r"you (?:entered|provided|gave|submitted|supplied|selected|chose|used) (?:an? |the )?"
        r"(?:incorrect|wrong|incomplete|invalid|old|out-of-date)",
        r"(?:may|might|could) (?:be that|have been that) (?:the|your) (?:\w+ ){0,2}(?:wasn'?t|"
        r"weren'?t|was not|were not|didn'?t|did not)",
        # "… not us": the fault placed elsewhere by contrast
        r"not (?:with|by|from|on|down to) us\b|rather than (?:with |by )?us\b",
        # the next move belongs to another party ("has to be raised by the retailer")
        r"(?:has|have|needs?|must|will need|would need) to be (?:raised|taken up|made|claimed|"
        r"handled|dealt with|directed|sent|submitted|reported|resolved|arranged|discussed|pursued|"
        r"settled|sorted|chased) (?:directly )?(?:by|with|through) (?:them\b|(?:the|your|their) "
        rf"(?:[\w\x27’-]+ ){{0,3}}?{PARTY}\b)",
        # the problem sits with, or is caused by, another party
        r"(?:delay|problem|issue|fault|hold[- ]up|hold|timing|error|wait|decision|cause) "
        r"(?:is|lies|was|sits|rests) (?:entirely |really |solely |wholly |simply )?"
        r"(?:due to|down to|with|caused by|in the hands of) (?:the|your|their|a|an) "
        rf"(?:[\w\x27’-]+ ){{0,3}}?{PARTY}\b",
        r"(?:who|which|they) (?:is|are) an? (?:external|separate|independent|third[- ]party|"
        r"outside) (?:company|firm|organi[sz]ation|business|provider|contractor|body)|"
        rf"(?:they|who|which|{PARTY}) (?:sets?|manages?|controls?|runs?|handles?|decides?) "
        r"(?:their own|its own) \w+|as they (?:set|decide|control)\b",
        # the outcome placed in the other party's hands
        r"(?:(?:it|that|this)'s|is|are|was|lies) (?:really |now |all |entirely |completely |wholly "
        r"|solely )?down to (?:them|him|her|the (?:[\w\x27’-]+ ){0,2}?(?:team|department|office|"
        r"company|firm|supplier|courier|bank|provider|manufacturer|council|landlord))\b",
        r"(?:is|are|was|lies) (?:entirely |completely |wholly |solely )?(?:up to|a matter for|"
        rf"in the hands of) (?:them\b|(?:the|your|their) (?:[\w\x27’-]+ ){{0,3}}?{PARTY}\b)",
        # the customer's own choice or omission named as the cause
        # the matter sits with someone else, whoever they are
        r"(?:delay|problem|issue|timing|hold[- ]up|wait|matter|decision) (?:now )?(?:sits|lies|"
        r"rests) (?:entirely |solely |wholly )?with (?:the|your|their)\b",
        # the other party acted late
        rf"(?:the|your) (?:[\w\x27’-]+ ){{0,2}}?{PARTY} (?:confirmed|sent|submitted|paid|"
        r"responded|replied|processed|released|told us|informed us|approved) (?:\w+ ){0,3}?(?:late|"
        r"too late)\b",
        # the other side holds it, or withholds it from us
        r"(?:on|at) (?:their|the (?!other\b|\w+er (?:side|end))\w+'?s?) (?:side|end)\b|"
        r"(?:we are|we'?re) not (?:told|given|informed|shown)\b",
        r"(?:which|that|this) was your (?:own )?(?:choice|decision)|you (?:chose|opted|decided) "
        r"not to",
        r"you (?:should|ought to) have (?!been\b|received\b|got\b|gotten\b|had\b|heard\b)\w+ed\b",
    ),
    examples=("That is how the system works.", "You should have submitted manual readings."),
    explanations={
        "default": "“{trigger}” moves the fault away from the company; {name} hears that nobody "
        "will take responsibility for their problem.",
    },
    suggestions={
        "default": "Take the problem on: say what you will do about it, even if part of the cause "
        "lies elsewhere (“I've chased the courier and will update you by noon”).",
    },
)
