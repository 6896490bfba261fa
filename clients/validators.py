"""What a contact's personal data must look like (R-CLIENT): one home for
the checks of the portal's contact form, clients.services and the client
directory import."""
import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

PHONE_CHARACTERS = re.compile(r"^\+?[0-9]([0-9 -]*[0-9])?$")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 7, 20

RESIDENT_ID_FORMAT = re.compile(r"^[0-9]{17}[0-9X]$")
# GB 11643-1999: the 18th character is a check code over the first 17 digits
# (ISO 7064 MOD 11-2).
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CODES = "10X98765432"


def validate_phone(value):
    """Digits, optionally a leading + and - or spaces between them; 7 to 20 digits."""
    digits = sum(char.isdigit() for char in value)
    if not PHONE_CHARACTERS.fullmatch(value) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        raise ValidationError(
            _("Enter a phone number of 7 to 20 digits; only a leading +, hyphens and spaces may be added."),
            code="invalid_phone",
        )


INVALID_EMAIL = _("Enter a valid e-mail address, such as name@example.com.")
validate_email = EmailValidator(message=INVALID_EMAIL)


def resident_id_check_code(first_17_digits):
    total = sum(int(digit) * weight for digit, weight in zip(first_17_digits, RESIDENT_ID_WEIGHTS))
    return RESIDENT_ID_CHECK_CODES[total % 11]


def validate_resident_id(value):
    """A Chinese resident ID number: 18 characters, 17 digits and a check
    code (a digit or X) that matches them (GB 11643). Pass it upper-cased."""
    if not RESIDENT_ID_FORMAT.fullmatch(value):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits, then a digit or X."),
            code="invalid_id_format",
        )
    if resident_id_check_code(value[:17]) != value[17]:
        raise ValidationError(
            _("This ID number fails its check digit; please check it for a typing error."),
            code="invalid_id_checksum",
        )


CONTACT_VALIDATORS = {
    "phone": validate_phone,
    "email": validate_email,
    "id_number": validate_resident_id,
}


def looks_masked(value):
    """A value as a masked export writes it (138****5678)."""
    return "*" in value
