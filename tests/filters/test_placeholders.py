"""Each placeholder/reference/hash predicate: what it drops, and a real-looking value it keeps."""

from __future__ import annotations

import pytest

from keystow.detect.filters import placeholders as p
from testing.fakes import Fakes

REAL = Fakes(11).password(24)


@pytest.mark.parametrize("value", ["changeme", "<YOUR_API_KEY>", "xxxxxxxxxxxx", "your_token_here",
                                   "AKIAIOSFODNN7EXAMPLE", "REDACTED", "insert-key", "****",
                                   "&lt;YOUR_PASSWORD&gt;"])
def test_placeholder(value):
    assert p.is_placeholder(value)


@pytest.mark.parametrize("value", ["testpassword", "fake-token-1", "MockSecret", "hunter2"])
def test_dummy_word(value):
    assert p.is_dummy_word(value)


@pytest.mark.parametrize("value", [
    "${DB_PASSWORD}", "{{ vault_pass }}", "%(password)s", "$API_TOKEN", "var.db_password",
    "local.secret", "os.getenv('TOKEN')", "process.env.API_KEY", "System.getenv(\"PASS\")",
    "secretKeyRef", "{{resolve:secretsmanager:prod/db:SecretString:password}}", "!Ref DbPassword",
    "ENV.fetch('TOKEN')", "!vault |", "import.meta.env.VITE_KEY", "#{secret}", "<%= ENV['X'] %>",
    "Environment.GetEnvironmentVariable(\"K\")", "%PASSWORD%", "@@DB_PASSWORD@@", "@db.password@",
])
def test_template_reference(value):
    assert p.is_templated(value)


@pytest.mark.parametrize("value", ["$ANSIBLE_VAULT;1.1;AES256", "ENC[AES256_GCM,data:abc,iv:def]",
                                   "vault:v1:abcdef", "{AQAAABAAAAAQm2ZyT1qKXZ0Zn7yXN6UuVh8TjO2uHh6hYQeDnLhbXkY=}",
                                   "{COQLCE6DU6GtcS5P=}"])
def test_encrypted(value):
    assert p.is_encrypted(value)


@pytest.mark.parametrize("value", [
    "$2b$12$" + "a" * 53, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "$6$rounds=5000$salt$hash",
    "pbkdf2_sha256$260000$salt$hash", "{SSHA}abcdef",
])
def test_password_hash(value):
    assert p.is_password_hash(value)
    assert p.is_encrypted_or_hashed(value)


@pytest.mark.parametrize("value", ["aaaaaaaa", "abababab", "abcdefgh12", "1234567890", "qwertyuiop"])
def test_repetitive(value):
    assert p.is_repetitive(value)


def test_a_fill_is_not_a_keyboard_run():
    """A fill pads or masks a value; a run (`qwerty12`) is also a password people choose (weak tier)."""
    assert p.is_fill("zzzzzzzz") and p.is_fill("abababab") and not p.is_keyboard_run("abababab")
    assert p.is_keyboard_run("qwerty12") and p.is_keyboard_run("1234567890") and not p.is_fill("qwerty12")
    assert not p.is_keyboard_run(REAL) and not p.is_fill(REAL)


@pytest.mark.parametrize("value", ["0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab",
                                   "dapi123456789abcdef123456789abcdef00", "xoxb-0123456789ABCDEF"])
def test_hex_digits_counted_up_are_a_filler(value):
    assert p.is_hex_count(value)


@pytest.mark.parametrize("value", ["123456789abcde", "0123456789", "deadbeef12345678", REAL])
def test_short_or_random_hex_is_no_count(value):
    assert not p.is_hex_count(value)


@pytest.mark.parametrize("value, padded", [("changeme1", True), ("Changeme123!", True), ("replace_me#7", True),
                                           ("changeme", False), ("changeme_later", False), ("mychangeme1", False)])
def test_padded_default(value, padded):
    assert p.is_padded_default(value) is padded


def test_uuid_and_digests():
    assert p.is_uuid("123e4567-e89b-12d3-a456-426614174000")
    assert p.is_hex_digest("da39a3ee5e6b4b0d3255bfef95601890afd80709")
    assert p.is_hex_digest("sha512-" + "A" * 86 + "==")
    assert p.is_hex_digest("sha256:" + "B" * 43 + "=")


@pytest.mark.parametrize("predicate", [p.is_placeholder, p.is_dummy_word, p.is_templated, p.is_encrypted,
                                       p.is_password_hash, p.is_repetitive, p.is_uuid, p.is_hex_digest])
def test_a_random_password_passes_every_filter(predicate):
    assert not predicate(REAL)


def test_long_random_values_hold_placeholder_words_only_by_chance():
    body = Fakes(13).chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 200)
    key = "-----BEGIN PRIVATE KEY-----\\n" + body[:90] + "ToDo" + body[90:] + "\\n-----END PRIVATE KEY-----"
    assert not p.is_placeholder(key)
    assert p.is_placeholder(key.replace(body[:20], "<paste your key here>"))
    assert p.is_placeholder(key.replace(body[:20], "\\nTODO\\n"))
    assert p.is_placeholder(key.replace(body[:20], "MIIEvQ..."))


def test_a_long_key_may_hold_a_lone_star_but_not_a_mask():
    """Django's startproject key draws `*` from its alphabet; `***` masks a value."""
    key = "django-insecure-" + Fakes(17).chars("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&(-_=+)", 49) + "*"
    assert not p.is_placeholder(key)
    assert p.is_placeholder(key[:30] + "***" + key[33:])


@pytest.mark.parametrize(
    "value",
    [
        "{db_password}",
        "%s",
        "{self.password(18)}",
        "app:{make(f, 2)}@db",
        "{clean(generic_password,",
        "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)",
        "$(cat /run/secrets/token)",
    ],
)
def test_format_strings_and_vault_references(value):
    assert p.is_templated(value)


def test_random_passwords_are_not_templates():
    fakes = Fakes(16)
    assert not any(p.is_templated(fakes.password(20)) for _ in range(200))


def test_aws_documentation_tokens_with_example_inside():
    body = Fakes(19).chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 120)
    assert p.is_placeholder(body[:40] + "EXAMPLE" + body[40:])
    assert not p.is_placeholder(body)


@pytest.mark.parametrize("value", ["mypassword", "MyPassword", "your_token", "my-api-key", "yourSecret", "mypwd"])
def test_a_possessive_slot_name_is_a_placeholder(value):
    assert p.is_placeholder(value)


@pytest.mark.parametrize("value", ["mypassword123", "mypassword-Kq8mZt3W", "myriad-Tz4nWq", "mytokenizer9",
                                   "yoursecrets2024x"])
def test_a_padded_or_longer_value_is_not_one(value):
    assert not p.is_placeholder(value)
