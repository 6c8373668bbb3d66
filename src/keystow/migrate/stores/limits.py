"""keystow's own checks of AWS limits, run before any AWS call.

AWS enforces these server-side, but the moto emulator enforces none of them, and failing early
keeps a bulk migration from stopping half-way. Sources: PutParameter and CreateSecret API
references, the Parameter Store and Secrets Manager quota pages (see AWS-NOTES.md §3).
"""

from __future__ import annotations

import re
import unicodedata

from keystow.migrate.stores.errors import (
    InvalidName,
    InvalidValue,
    LimitExceeded,
    ValueTooLarge,
)

SSM_NAME_CHARS = re.compile(r"[A-Za-z0-9_.\-/]+")
SSM_NAME_MAX = 1011
SSM_MAX_LEVELS = 15
SSM_STANDARD_BYTES = 4096
SSM_ADVANCED_BYTES = 8192
SM_NAME_CHARS = re.compile(r"[A-Za-z0-9/_+=.@\-]+")
SM_NAME_MAX = 512
SM_RANDOM_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")
SM_VALUE_BYTES = 65536
MAX_TAGS = 50
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
TAG_EXTRA_CHARS = set("_.:/=+-@")


def check_ssm_name(name: str) -> None:
    if not name or not SSM_NAME_CHARS.fullmatch(name):
        raise InvalidName(f"invalid SSM parameter name {name!r}: only letters, digits and _.-/ are allowed")
    if len(name) > SSM_NAME_MAX:
        raise InvalidName(f"invalid SSM parameter name: {len(name)} characters (max {SSM_NAME_MAX})")
    if "/" in name and not name.startswith("/"):
        raise InvalidName(f"invalid SSM parameter name {name!r}: a hierarchical name must start with /")
    if "//" in name or name.endswith("/"):
        raise InvalidName(f"invalid SSM parameter name {name!r}: empty hierarchy level")
    levels = name.strip("/").split("/")
    if len(levels) > SSM_MAX_LEVELS:
        raise InvalidName(f"invalid SSM parameter name {name!r}: {len(levels)} levels (max {SSM_MAX_LEVELS})")
    if levels[0].lower().startswith(("aws", "ssm")):
        raise InvalidName(f"invalid SSM parameter name {name!r}: names may not begin with 'aws' or 'ssm'")


def check_ssm_value(value: str, allow_advanced_tier: bool) -> str:
    """The tier the value needs ("Standard" or "Advanced")."""
    size = _check_not_empty(value)
    if size <= SSM_STANDARD_BYTES:
        return "Standard"
    if size > SSM_ADVANCED_BYTES:
        raise ValueTooLarge(f"value is {size} bytes; SSM parameters hold at most {SSM_ADVANCED_BYTES} bytes "
                            "(use Secrets Manager)")
    if not allow_advanced_tier:
        raise ValueTooLarge(f"value is {size} bytes; the Standard tier holds {SSM_STANDARD_BYTES} bytes "
                            "(--allow-advanced-tier uses the paid Advanced tier, or use Secrets Manager)")
    return "Advanced"


def check_secret_name(name: str) -> None:
    if not name or not SM_NAME_CHARS.fullmatch(name):
        raise InvalidName(f"invalid secret name {name!r}: only ASCII letters, digits and /_+=.@- are allowed")
    if len(name) > SM_NAME_MAX:
        raise InvalidName(f"invalid secret name: {len(name)} characters (max {SM_NAME_MAX})")
    if SM_RANDOM_SUFFIX.search(name):
        raise InvalidName(f"invalid secret name {name!r}: a name ending in '-' and six characters is "
                          "confused with the ARN's random suffix")


def check_secret_value(value: str) -> None:
    size = _check_not_empty(value)
    if size > SM_VALUE_BYTES:
        raise ValueTooLarge(f"value is {size} bytes; a secret holds at most {SM_VALUE_BYTES} bytes")


def check_tags(tags: dict[str, str]) -> None:
    if len(tags) > MAX_TAGS:
        raise LimitExceeded(f"{len(tags)} tags; AWS allows at most {MAX_TAGS} per resource")
    for key, value in tags.items():
        if not key or len(key) > TAG_KEY_MAX or key.lower().startswith("aws:") or not _tag_chars(key):
            raise InvalidName(f"invalid tag key {key!r}: 1-{TAG_KEY_MAX} letters, digits, spaces or _.:/=+-@, "
                              "not starting with aws:")
        if len(value) > TAG_VALUE_MAX or not _tag_chars(value):
            raise InvalidName(f"invalid value for tag {key!r}: at most {TAG_VALUE_MAX} letters, digits, spaces "
                              "or _.:/=+-@")


def _tag_chars(text: str) -> bool:
    return all(c in TAG_EXTRA_CHARS or unicodedata.category(c)[0] in "LZN" for c in text)


def _check_not_empty(value: str) -> int:
    if not value:
        raise InvalidValue("empty value: AWS stores no empty parameters or secrets")
    return len(value.encode("utf-8"))
