"""What customers write: contact reasons (Banking77's categories) and the demo's own texts.

Every Banking77 category is mapped to a *situation* (how the contact feels to the customer) and a
*topic* (what the company's reply talks about). With the data set present the texts come from its
train split; without it, from the small built-in pool below (written for the demo, not copied).
"""

from __future__ import annotations

from collections.abc import Mapping

ONBOARDING, QUESTION, COMPLAINT, INCIDENT, CANCELLATION = (
    "onboarding",
    "question",
    "complaint",
    "incident",
    "cancellation",
)

# category: (situation, topic); "first_bill" is the demo's own (seed 003), not Banking77's.
CATEGORIES: Mapping[str, tuple[str, str]] = {
    "first_bill": (QUESTION, "fees"),
    "activate_my_card": (ONBOARDING, "card"),
    "age_limit": (ONBOARDING, "account"),
    "apple_pay_or_google_pay": (ONBOARDING, "card"),
    "atm_support": (QUESTION, "cash"),
    "automatic_top_up": (ONBOARDING, "topup"),
    "balance_not_updated_after_bank_transfer": (COMPLAINT, "transfer"),
    "balance_not_updated_after_cheque_or_cash_deposit": (COMPLAINT, "topup"),
    "beneficiary_not_allowed": (COMPLAINT, "transfer"),
    "cancel_transfer": (QUESTION, "transfer"),
    "card_about_to_expire": (QUESTION, "card"),
    "card_acceptance": (QUESTION, "card"),
    "card_arrival": (ONBOARDING, "card"),
    "card_delivery_estimate": (ONBOARDING, "card"),
    "card_linking": (QUESTION, "card"),
    "card_not_working": (COMPLAINT, "card"),
    "card_payment_fee_charged": (COMPLAINT, "fees"),
    "card_payment_not_recognised": (INCIDENT, "card"),
    "card_payment_wrong_exchange_rate": (COMPLAINT, "fx"),
    "card_swallowed": (COMPLAINT, "cash"),
    "cash_withdrawal_charge": (COMPLAINT, "fees"),
    "cash_withdrawal_not_recognised": (INCIDENT, "cash"),
    "change_pin": (QUESTION, "card"),
    "compromised_card": (INCIDENT, "card"),
    "contactless_not_working": (COMPLAINT, "card"),
    "country_support": (ONBOARDING, "account"),
    "declined_card_payment": (COMPLAINT, "card"),
    "declined_cash_withdrawal": (COMPLAINT, "cash"),
    "declined_transfer": (COMPLAINT, "transfer"),
    "direct_debit_payment_not_recognised": (INCIDENT, "transfer"),
    "disposable_card_limits": (QUESTION, "card"),
    "edit_personal_details": (QUESTION, "account"),
    "exchange_charge": (COMPLAINT, "fees"),
    "exchange_rate": (QUESTION, "fx"),
    "exchange_via_app": (QUESTION, "fx"),
    "extra_charge_on_statement": (COMPLAINT, "fees"),
    "failed_transfer": (COMPLAINT, "transfer"),
    "fiat_currency_support": (QUESTION, "fx"),
    "get_disposable_virtual_card": (QUESTION, "card"),
    "get_physical_card": (ONBOARDING, "card"),
    "getting_spare_card": (QUESTION, "card"),
    "getting_virtual_card": (ONBOARDING, "card"),
    "lost_or_stolen_card": (INCIDENT, "card"),
    "lost_or_stolen_phone": (INCIDENT, "account"),
    "order_physical_card": (ONBOARDING, "card"),
    "passcode_forgotten": (QUESTION, "account"),
    "pending_card_payment": (QUESTION, "card"),
    "pending_cash_withdrawal": (QUESTION, "cash"),
    "pending_top_up": (QUESTION, "topup"),
    "pending_transfer": (QUESTION, "transfer"),
    "pin_blocked": (COMPLAINT, "card"),
    "receiving_money": (QUESTION, "transfer"),
    "Refund_not_showing_up": (COMPLAINT, "refund"),
    "request_refund": (QUESTION, "refund"),
    "reverted_card_payment?": (QUESTION, "card"),
    "supported_cards_and_currencies": (ONBOARDING, "fx"),
    "terminate_account": (CANCELLATION, "account"),
    "top_up_by_bank_transfer_charge": (COMPLAINT, "fees"),
    "top_up_by_card_charge": (COMPLAINT, "fees"),
    "top_up_by_cash_or_cheque": (QUESTION, "topup"),
    "top_up_failed": (COMPLAINT, "topup"),
    "top_up_limits": (QUESTION, "topup"),
    "top_up_reverted": (COMPLAINT, "topup"),
    "topping_up_by_card": (ONBOARDING, "topup"),
    "transaction_charged_twice": (COMPLAINT, "fees"),
    "transfer_fee_charged": (COMPLAINT, "fees"),
    "transfer_into_account": (QUESTION, "transfer"),
    "transfer_not_received_by_recipient": (COMPLAINT, "transfer"),
    "transfer_timing": (QUESTION, "transfer"),
    "unable_to_verify_identity": (COMPLAINT, "identity"),
    "verify_my_identity": (ONBOARDING, "identity"),
    "verify_source_of_funds": (QUESTION, "identity"),
    "verify_top_up": (ONBOARDING, "topup"),
    "virtual_card_not_working": (COMPLAINT, "card"),
    "visa_or_mastercard": (ONBOARDING, "card"),
    "why_verify_identity": (ONBOARDING, "identity"),
    "wrong_amount_of_cash_received": (COMPLAINT, "cash"),
    "wrong_exchange_rate_for_cash_withdrawal": (COMPLAINT, "fx"),
}

# The built-in pool: a few texts for the categories the demo leans on most.
BUILTIN_TEXTS: Mapping[str, tuple[str, ...]] = {
    "activate_my_card": (
        "How do I activate the card that came today?",
        "My card arrived, what do I need to do before I can use it?",
        "The card won't activate in the app, what am I missing?",
    ),
    "apple_pay_or_google_pay": (
        "Can I add my card to Apple Pay?",
        "Does the card work with Google Pay?",
    ),
    "atm_support": (
        "Which cash machines can I use without paying a fee?",
        "Can I use any ATM with this card?",
    ),
    "automatic_top_up": (
        "How do I set up automatic top-ups?",
        "Can my account top itself up when the balance gets low?",
    ),
    "card_about_to_expire": (
        "My card expires next month, will a new one be sent automatically?",
        "What happens when my card expires?",
    ),
    "card_arrival": (
        "My new card still hasn't shown up and it's been ten days.",
        "When should I expect my card to arrive?",
        "Is there a way to see where my card is in the post?",
    ),
    "card_delivery_estimate": (
        "How long does card delivery usually take?",
        "If I order a card today, when will I get it?",
    ),
    "card_not_working": (
        "My card doesn't work anywhere.",
        "My card was declined in every shop today.",
        "The card stopped working this morning for no reason.",
    ),
    "card_payment_fee_charged": (
        "Why was there a fee on my card payment?",
        "I paid by card and got charged a fee on top.",
    ),
    "card_payment_not_recognised": (
        "There's a payment on my account I don't recognise.",
        "I don't know what this card payment is, I never shopped there.",
    ),
    "card_payment_wrong_exchange_rate": (
        "The rate on my card payment in Spain was much worse than the one in the app.",
        "I was charged a strange exchange rate for a payment abroad.",
        "Why did my payment in dollars cost so much more than your rate?",
    ),
    "cash_withdrawal_charge": (
        "Why was I charged for taking out cash?",
        "I got a fee for an ATM withdrawal, I thought it was free.",
    ),
    "change_pin": (
        "How can I change my PIN?",
        "Can I change my PIN in the app?",
    ),
    "compromised_card": (
        "I think someone has used my card details.",
        "There are payments I didn't make, I think my card was copied.",
    ),
    "country_support": (
        "Can I keep using the account if I move to Portugal?",
        "Which countries do you support?",
    ),
    "declined_card_payment": (
        "My card payment was declined but I have money in the account.",
        "Why was my payment at the supermarket refused?",
    ),
    "edit_personal_details": (
        "How do I change my address?",
        "I got married and need to change my surname on the account.",
    ),
    "exchange_charge": (
        "Why am I paying a fee to exchange currency?",
        "There was a charge on my currency exchange that I didn't expect.",
    ),
    "exchange_rate": (
        "What exchange rate do you use for euros?",
        "Where can I see today's rate before I exchange?",
    ),
    "extra_charge_on_statement": (
        "There's a charge on my statement I don't understand.",
        "Why was I charged an extra fee this month?",
        "I see a fee of 2.50 that nobody told me about.",
    ),
    "failed_transfer": (
        "My transfer failed, what happened?",
        "Why did my bank transfer not go through?",
    ),
    "getting_virtual_card": (
        "How do I get a virtual card?",
        "Can I have a virtual card for shopping online?",
    ),
    "lost_or_stolen_card": (
        "I've lost my card, please block it.",
        "My wallet was stolen with my card in it.",
    ),
    "order_physical_card": (
        "How do I order a physical card?",
        "I only have the virtual card, can I get a plastic one?",
    ),
    "pending_top_up": (
        "My top-up has been pending since yesterday.",
        "How long does a top-up stay pending?",
    ),
    "pending_transfer": (
        "My transfer is still pending after two days.",
        "How long will my transfer stay pending?",
    ),
    "pin_blocked": (
        "My PIN is blocked after three wrong tries.",
        "I can't use my card, the machine says my PIN is blocked.",
    ),
    "receiving_money": (
        "How can someone send money to my account?",
        "What details do I give people so they can pay me?",
    ),
    "Refund_not_showing_up": (
        "The shop refunded me a week ago and I still don't see it.",
        "Where is my refund? The merchant says they sent it.",
    ),
    "request_refund": (
        "How do I ask for a refund for something I bought?",
        "Can I get my money back for a payment I cancelled?",
    ),
    "supported_cards_and_currencies": (
        "Which currencies can I hold in the account?",
        "What cards can I use to top up?",
    ),
    "terminate_account": (
        "I want to close my account.",
        "Please cancel my account and send me my remaining balance.",
        "How do I delete my account?",
    ),
    "top_up_failed": (
        "My top-up failed but the money left my other account.",
        "Why did my top-up not go through?",
    ),
    "top_up_reverted": (
        "My top-up was reversed and I don't know why.",
        "The money I added disappeared from my balance again.",
    ),
    "topping_up_by_card": (
        "Can I top up with my debit card from another bank?",
        "How do I add money using a card?",
    ),
    "transaction_charged_twice": (
        "The same payment was taken twice from my account.",
        "I've been charged twice for one purchase.",
    ),
    "transfer_fee_charged": (
        "Why did my transfer cost me a fee?",
        "I was charged for a transfer I thought was free.",
    ),
    "transfer_not_received_by_recipient": (
        "I sent money three days ago and my landlord still hasn't received it.",
        "My friend says the transfer never arrived.",
    ),
    "transfer_timing": (
        "How long do transfers to other banks take?",
        "When will my transfer arrive?",
    ),
    "unable_to_verify_identity": (
        "The app keeps rejecting my passport photo.",
        "I've tried to verify my identity three times and it fails every time.",
    ),
    "verify_my_identity": (
        "What do I need to send you to verify who I am?",
        "Which documents count for the identity check?",
        "How long does identity verification take?",
    ),
    "why_verify_identity": (
        "Why do you need a photo of my ID?",
        "Why am I being asked to verify my identity again?",
    ),
    "wrong_exchange_rate_for_cash_withdrawal": (
        "The cash I took out abroad was converted at a terrible rate.",
        "Why was the rate for my ATM withdrawal different from what you advertise?",
    ),
}
