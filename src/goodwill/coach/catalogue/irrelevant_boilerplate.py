"""Irritant: legal, regulatory or corporate facts that do not bear on what the customer asked."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump, compile_phrases

# when the customer asks about any of this, the same facts are an answer, not boilerplate
ASKED_ABOUT = compile_phrases(
    (
        # the company's licence, not the customer's own ("my driving licence renewal")
        r"regulat\w*|authori[sz]\w+|licensed|(?:your|their|operating|trading|consumer credit) "
        r"licen[cs]e|protected|fscs|compensation scheme|"
        r"gdpr|data processing|dpa|sub-?processors?|who (?:regulates|owns)|went bust|go bust|"
        r"registered|company number|compliance|ombudsman|invest\w*|member\w*|"
        # the customer's own act's legality ("Is it legal for me to buy it?"), not an accusation
        # ("Is this even legal?")
        r"association|accredit\w*|code of (?:practice|conduct)|insured|dispute|(?:is|are) (?:it|"
        r"they) (?:legal|allowed|permitted) (?:for (?:me|us)|to)\b|legally|the law\b|\bban\b",
    )
)


def detect(s: Situation, c: Category) -> list[Hit]:
    if ASKED_ABOUT is not None and ASKED_ABOUT.search(s.customer):
        return []
    hits: list[Hit] = []
    for h in s.sentence_hits(c.pattern, "medium"):
        if s.operator_act(h):
            continue  # "I've reissued the invoice with VAT number GB 284 …": the customer's matter
        footer = s.in_signature(h.start or 0)
        severity = "low" if footer else bump("medium", s.signals.strong_emotion)
        hits.append(Hit(h.start, h.end, severity, "footer" if footer else "default", h.trigger))
    return hits


CATEGORY = Category(
    name="irrelevant_boilerplate",
    kind="irritant",
    order=12,
    summary="Regulatory status, registration numbers, confidentiality notices, risk warnings and "
    "mission statements that have nothing to do with the customer's request.",
    detect=detect,
    phrases=(
        # fourth pass: a status under a named statute ("registered under the Road Traffic Act
        # 1988", "the billing authority … under the Local Government Finance Act 1992")
        r"(?:registered|licensed|approved|accredited|authority|body|regulated|constituted|"
        r"established)\b(?: [\w-]+){0,6} under (?:the )?(?:[\w()’\x27-]+ ){1,6}act(?: (?:of )?"
        r"\d{4})?\b",
        # a data-protection notice: who controls the data, with whom it is shared
        r"(?:is|are) (?:a|the) data controller|(?:under|in accordance with) (?:the )?(?:uk |eu )?"
        r"(?:gdpr|data protection act)|(?:read|see|view) our (?:full )?privacy (?:notice|policy)|"
        r"may be shared with (?:other )?(?:\w+ ){0,3}(?:departments|organisations|organizations|"
        r"partners|agencies)",
        r"(?:is|are) (?:authori[sz]ed|regulated|licensed|registered|certified)(?: and regulated)? "
        r"(?:by|with|in|to)",
        r"authori[sz]ed by the|regulated by the|financial conduct authority|prudential regulation "
        r"authority|ofgem|ofcom|information commissioner'?s office|care quality commission|"
        r"electronic money regulations",
        r"firm reference|\bfrn\b|registered (?:in england|in scotland|office|company|with the)",
        # the company's own numbers, given: "Company No. 0481 2219", "VAT reg no GB 284 1193 07"
        # (not "the letter was missing its registration number")
        r"(?:company (?:no\.?|number|registration)|registration (?:no\.?|number)|vat (?:reg\w*|"
        r"no\.?)(?: (?:no\.?|number))?)(?: is)?[:.]?\s*(?:[a-z]{1,3}\s?)?\d+",
        # a risk warning recited to someone who asked about something else
        r"(?:value of (?:\w+ )?investments?|prices?|investments?) (?:and the income from "
        r"(?:it|them) )?(?:can|may) (?:(?:go|fall) down as well as (?:go )?up|fall as well as "
        r"rise)|past performance is not a (?:reliable )?(?:guide|indicator)|you may get back less "
        r"than you (?:invested|put in)|capital (?:is )?at risk",
        # a charge's statutory basis ("levied under the Local Government Finance Act 1992")
        r"(?:levied|charged|imposed|payable|collected|raised) under (?:the )?"
        r"(?:[\w()’\x27-]+ ){1,6}act(?: (?:of )?\d{4})?\b",
        r"(?:is|are) a (?:trading name|financial institution|member of|registered)|not a bank",
        r"(?:is|are) a member of|subscribes? to the",
        r"(?:this|the) (?:e-?mail|message)(?: and any (?:files|attachments)[^.]*)? (?:is|are|may "
        r"be|"
        r"may contain) (?:confidential|privileged|intended)|confidentiality notice|"
        r"intended (?:solely |only )?for (?:the )?(?:use of the )?(?:named|addressee|recipient|"
        r"individual)",
        r"calls (?:\w+ ){0,5}(?:may|will) be recorded",
        r"does not affect your statutory rights|your home may be repossessed",
        r"(?:our|the|[\w-]+(?:[\x27’]s|s[\x27’])) (?:mission|vision|purpose|ambition)"
        r"(?: (?:as|at) (?:an? |the )?[\w-]+(?: [\w-]+)?)? is to",
        # a public body's status: "is an executive agency of the Department for Transport"
        r"(?:is|are) (?:an? )?(?:executive|government|arm'?s[- ]length|non-departmental|statutory|"
        r"public) (?:agency|body|organisation|organization|corporation) (?:of|sponsored by|within|"
        r"under)\b",
        r"(?:is|are) committed to (?:delivering|providing|reducing|treating|excellence|outstanding|"
        r"the highest)",
        r"(?:founded|established) in \d{4}|(?:certified|complies) (?:to|with) (?:iso|all "
        r"applicable)",
        r"(?:is|are) (?:a )?members? of (?:abta|the \w+ (?:scheme|association|ombudsman))|atol[- "
        r"]protected",
        r"(?:operates|operating) under (?:a|the) (?:franchise|licence|license)",
        r"(?:registered|authori[sz]ed) with the (?:\w+ ){0,3}(?:commission|council|authority)",
        # corporate structure and charters, told to someone who asked about something else
        r"(?:is|are) (?:a |an )?(?:part|subsidiary|division|brand|trading style|member) of (?:the "
        r")?(?:[\w&-]+ ){0,4}(?:group|network|trust|plc|ltd|limited|holdings|partnership|alliance|"
        r"family of companies)(?=[,.;]| which| that| and|$)",
        r"(?:is|are) a partnership of|wholly[- ]owned|(?:constitution|charter) (?:sets out|states|"
        r"describes)",
    ),
    examples=(
        "XXX is a financial institution, not a bank, authorised by the Financial Conduct "
        "Authority.",
        "Calls may be recorded for training and monitoring purposes.",
    ),
    explanations={
        "default": "{name} did not ask about this; legal or corporate facts in the middle of a "
        "reply read as defensive, as if the company were protecting itself rather than helping.",
        "footer": "A legal footer under a personal reply adds distance; {name} did not ask about "
        "it.",
    },
    suggestions={
        "default": "Delete the sentence; if the fact matters, explain in plain words how it "
        "affects {name}'s request.",
        "footer": "Move the legal text to the helpdesk's standard footer, or drop it from "
        "replies written by a person.",
    },
)
