"""Irritant: pushing the fault onto the customer, a policy, the system or another party."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump


def detect(s: Situation, c: Category) -> list[Hit]:
    heated = s.signals.complaint and (s.signals.strong_emotion or s.signals.breach)
    heated = heated or s.signals.first_disagreement
    return s.sentence_hits(c.pattern, bump("medium", heated))


CATEGORY = Category(
    name="blame_shifting",
    kind="irritant",
    order=32,
    summary="'That is how the system works', 'as per our policy', 'you should have…', 'the courier "
    "is responsible': moving the fault away instead of dealing with it.",
    detect=detect,
    phrases=(
        r"(?:that|this|it)(?:'s| is) (?:just )?(?:how|the way) (?:the |our |it |things )?(?:\w+ )?"
        r"(?:system )?(?:works?|is designed|operates)",
        r"is how (?:our|the) (?:\w+ )?(?:system )?works|how the system is designed",
        r"(?:as per|per|according to) (?:our|the|company|clinic) (?:\w+ ){0,2}(?:policy|policies|"
        r"terms|conditions|procedures?)|(?:as per|under|per) (?:section|clause|article) \d",
        r"as (?:required|permitted|allowed|set out) (?:by|in) (?:our|the) (?:\w+ )?(?:terms|policy|"
        r"contract|agreement|conditions)",
        r"\bclearly (?:states?|stated|lists?|listed|shows?|set out|explains?)\b",
        r"(?:our|the) policy is|our policy|(?:policy|system|terms) (?:does not|doesn'?t|do not|"
        r"don'?t) (?:allow|permit)",
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
        r"(?:not|n'?t) (?:our|my) (?:fault|responsibility|error|mistake)",
        r"(?:are|is|were|cannot be|can'?t be) not (?:held )?(?:responsible|liable|accountable)|"
        r"(?:cannot|can'?t) be held (?:responsible|liable)|we are not responsible",
        r"(?:is|are|was|were) (?:the )?(?:responsibility|fault) of|(?:it is|it'?s) (?:the "
        r"customer'?s|your) responsibility|it is your responsibility|(?:homeowner|customer|"
        r"occupier|passenger)'?s responsibility|responsibility of the (?:occupier|customer|"
        r"homeowner)|lies with the",
        r"(?:you will|you'?ll) need to (?:contact|speak to|take (?:this|it) up with|raise (?:this|"
        r"it)"
        r" with|check with) (?:the|your|them)|contact (?:them|\w+) directly",
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
        r"(?:another|the other|a different|our \w+) (?:team|department) (?:was|were|is) "
        r"(?:handling|responsible|dealing)",
        r"(?:has|have) no (?:involvement|control)|limited influence over",
        r"(?:clearly )?(?:stated|set out|listed|explained) in (?:the|your|our) (?:\w+ )?(?:terms|"
        r"contract|t&cs|policy|tariff|conditions|agreement)",
        r"(?:terms and conditions|terms|contract|agreement) (?:that )?you (?:agreed to|accepted|"
        r"signed)|which you (?:accepted|agreed to|signed)|by signing",
        r"our records show (?:that )?(?:the last|you)|according to our records,? you",
        r"(?:based on|due to) the (?:\w+ )?(?:information|details) you (?:provided|entered)",
        r"force majeure|(?:was|were|has been) caused by (?:our|a|the) (?:\w+ ){0,2}(?:supplier|"
        r"provider|courier|partner)",
        r"standard (?:industry )?practice",
        r"(?:the )?responsibility for [^.!?]{0,30} lies",
        r"you (?:opted|agreed|signed|accepted|ticked) (?:in|up|to)\b",
        r"(?:our|the) records (?:show|indicate) (?:that )?(?:you|your|the last)\b",
        r"(?:is|are|was|were) (?:generated|sent|handled|managed|run|provided|operated|controlled) "
        r"(?:automatically )?by (?:the|a|an|their|another|a separate|an external)\b",
        r"and not (?:by )?(?:the|this|our) (?:airline|practice|clinic|department|company|store|"
        r"team|shop)",
        r"(?:have|has) no control over|no control over",
        r"(?:may|might|could) (?:be|have been) (?:caused|related|due) (?:by|to)",
        r"(?:you will|you'?ll|you) (?:need|have) to (?:contact|speak to|call|ask|get in touch with|"
        r"take (?:this|it) up with) (?:the|your|their|them)",
        r"(?:as|which is) (?:set out|stated|explained|listed|detailed) in (?:the|your|our) (?:\w+ "
        r"){0,2}(?:terms|contract|summary|guide|agreement|policy|conditions|documents?)",
        r"it (?:may|might|could) be that (?:you|your)",
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
