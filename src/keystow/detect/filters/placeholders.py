"""Values that look like a secret's slot rather than a secret: placeholders, references, dummies."""

from __future__ import annotations

import re

PLACEHOLDER_WORDS = (
    "changeme", "change_me", "change-me", "replaceme", "replace_me", "your_", "your-", "yourkey",
    "placeholder", "dummy", "redacted", "example", "sample", "insert", "xxxx", "****",
    "...", "…", "todo", "fixme", "notreal", "not_real", "not-a-", "secret_here", "password_here",
    "removed-by-keystow",  # the marker `keystow purge` leaves in history in place of a secret
    "ssm:/", "secretsmanager:",  # keystow references (`keystow purge` puts them where values were)
)
# `<your-key>`, `<token>`, `<paste here`: angle brackets around or opening a slot's description.
# A lone `<` or `>` is one of the symbols a generated password draws from (Terraform's
# random_password does), so it is no placeholder by itself. HTML and XML docs escape the brackets
# (`&lt;YOUR_PASSWORD&gt;`): the same slot.
ANGLE_PLACEHOLDER = re.compile(r"^<|>$|<[\w .:/-]{1,60}>|^&lt;|&gt;$")
# A long random value (a key block) holds `todo` or `xxxx` by chance now and then; in one, a
# placeholder word counts only where it starts a word: `<paste your key>`, `...`, `-----\nTODO`.
# A lone `*` is one of the symbols a generated key draws from (Django's startproject key, 50 of
# `a-z0-9!@#$%^&*(-_=+)`, holds one two times in three); a mask is a run of them (`***`).
LONG_VALUE = 64
DELIMITED_PLACEHOLDER = re.compile(
    r"(?:(?<![a-z0-9+/])|(?<=\\n))(?:" + "|".join(re.escape(w) for w in PLACEHOLDER_WORDS if w[0].isalpha()) + r")"
    r"|[<>…]|\*{3,}|\.\.\.|(?<![a-z0-9+/])x{4,}(?![a-z0-9+/])"
)
# Words that mark a value as made up for tests or docs. Only applied to generic rules: a provider
# token with a fixed prefix is real whatever random letters it happens to contain.
DUMMY_WORDS = ("test", "fake", "mock", "dummy", "sample", "foobar", "lorem", "hunter2", "s3cr3t", "passw0rd",
               "password", "passwd", "secret", "sensitive", "open sesame", "aladdin", "foo:bar")
# `secret_` opening a long random value is a token's kind, as `ghp_` is (Notion's integration tokens,
# `secret_` + 43 alphanumerics), not a word someone wrote for a test: only the rest is read for them.
SECRET_KIND_PREFIX = re.compile(r"^secret_(?=[A-Za-z0-9]{32,}$)", re.I)
TEMPLATE = re.compile(
    r"""\$\{|\{\{|\}\}|%\([^)]*\)s|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^@@?[A-Za-z_][\w.]*@@?$|^<%|^\#\{"""
    r"""|os\.environ|os\.getenv|getenv\(|process\.env|System\.getenv|ENV\[|ENV\.fetch|secretKeyRef"""
    r"""|GetEnvironmentVariable|import\.meta\.env|^(?:var|local|module|data)\.[a-z_]|\{\{resolve:"""
    r"""|^!(?:Ref|Sub|GetAtt|ImportValue|vault)\b|^arn:aws:|^lookup\(|^vault\("""
    r"""|\{[A-Za-z_0-9][\w.]*(?:\([^{}]*\))?\}|^\{[A-Za-z_][\w.]*\(|^%[sd]$|@Microsoft\.KeyVault\(|^\$\(|^\(\("""
)
# Ansible vault, sops, sealed secrets, Vault transit, PGP; Jenkins credentials.xml (`{AQAAAB...}`)
# and Maven settings-security (`{base64=}`) ciphertext in braces.
ENCRYPTED = re.compile(r"^\$ANSIBLE_VAULT|^ENC\[|^AgA[A-Za-z0-9+/]{100}|^vault:v\d+:|^-----BEGIN PGP MESSAGE"
                       r"|^\{AQAAAB[A-Za-z0-9+/]{16,}={0,2}\}$|^\{[A-Za-z0-9+/]{12,}={1,2}\}$")
PASSWORD_HASH = re.compile(
    r"^\$(?:2[abxy]?|argon2(?:id|i|d)|[156]|y|gy|7|scrypt|pbkdf2[-_a-z0-9]*|sha1|md5)\$"
    r"|^(?:pbkdf2_sha256|bcrypt_sha256|argon2)\$|^\{(?:SSHA|SHA|SSHA512|CRYPT|PBKDF2)[^}]*\}"
)
UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
HEX_DIGEST = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$", re.I)
INTEGRITY = re.compile(
    r"^(?:sha1|sha256|sha384|sha512|md5|h1):[A-Za-z0-9+/=]{20,}$|^(?:sha1|sha256|sha384|sha512)-[A-Za-z0-9+/=]{20,}$"
)
# `mypassword`, `your_token`: a slot named for whoever copies the snippet (docstrings and READMEs
# write `smb://myuser:mypassword@myserver`); provider-kind rules (URL and URI credentials) see it
# too, where the generic rules' dummy words do not apply. Padded (`mypassword123`) it is a weak
# password someone set, as with PADDED_DEFAULT below: an audit's business, not a placeholder.
POSSESSIVE_SLOT = re.compile(r"^(?:my|your)[_-]?(?:pass(?:word|wd|phrase)?|pwd|secret|token|(?:api[_-]?)?key)$", re.I)
SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm")
# Where a placeholder ends and a weak password starts. `changeme` alone is the slot a template or a
# doc leaves for the reader to fill: it says nothing about any account. With digits or symbols
# appended (`changeme1`, `Changeme123!`) it is what someone typed at a prompt whose policy wanted
# more than a word: the account exists and this is its password, weak but real, which is what an
# audit (`--min-confidence low`) is for. Only the weak tier asks (filters.chain): at medium
# confidence both stay placeholders.
PADDED_DEFAULT = re.compile(r"^(?:change|replace)[_-]?me[0-9!#$%&*+.?@^_~-]+$", re.I)


def is_placeholder(secret: str) -> bool:
    """`changeme`, `<YOUR_KEY>`, `xxxx`, AWS's documentation keys ending in EXAMPLE, …"""
    lowered = secret.lower()
    if len(secret) > LONG_VALUE:  # AWS documentation tokens carry EXAMPLE in the middle
        return bool(DELIMITED_PLACEHOLDER.search(lowered)) or "EXAMPLE" in secret
    return (any(word in lowered for word in PLACEHOLDER_WORDS) or bool(ANGLE_PLACEHOLDER.search(secret))
            or bool(POSSESSIVE_SLOT.match(secret)) or secret.endswith("EXAMPLE"))


def is_dummy_word(secret: str) -> bool:
    """`testpassword`, `fake-token`, `mock_secret`: values written for tests and docs."""
    lowered = SECRET_KIND_PREFIX.sub("", secret.lower())
    return any(word in lowered for word in DUMMY_WORDS)


# Leetspeak back to letters: `P@ssw0rd` is `password`, `s3cr3t` is `secret`.
LEET = str.maketrans("0134578@$!", "oieastbasi")
# A word or two, maybe digits or a `!` after (`admin123`, `hunter2`, `contoso`): nothing random.
WORDY = re.compile(r"^[A-Za-z]{3,20}[_-]?[A-Za-z]{0,12}[0-9]{0,6}[!.]?$")


def is_leet_word(secret: str) -> bool:
    """A word-made password, plain or in leetspeak (`hunter2`, `P@ssw0rd`, `sup3rs3cr3t`)."""
    return bool(WORDY.match(secret)) or is_dummy_word(secret.translate(LEET)) or is_placeholder(secret.translate(LEET))


def is_templated(secret: str) -> bool:
    """A reference to a value kept elsewhere: `${VAR}`, `{{ var }}`, `os.environ[...]`, …"""
    return bool(TEMPLATE.search(secret))


def is_encrypted(secret: str) -> bool:
    """Ansible vault, sops `ENC[...]`, sealed secrets, Vault transit, PGP messages."""
    return bool(ENCRYPTED.search(secret))


def is_password_hash(secret: str) -> bool:
    """bcrypt, argon2, sha512-crypt and friends, Django and LDAP hash formats: not reversible."""
    return bool(PASSWORD_HASH.search(secret))


def is_encrypted_or_hashed(secret: str) -> bool:
    """Ansible vault and sops blobs, and password hashes (bcrypt, argon2, crypt): not secrets."""
    return is_encrypted(secret) or is_password_hash(secret)


def is_padded_default(secret: str) -> bool:
    """`changeme1`, `Changeme123!`: a placeholder word someone padded into a password (PADDED_DEFAULT)."""
    return bool(PADDED_DEFAULT.match(secret))


def is_repetitive(secret: str) -> bool:
    """Mostly one or two repeated characters, or an alphabet/digit/keyboard run."""
    return is_fill(secret) or is_keyboard_run(secret)


def is_fill(secret: str) -> bool:
    """One or two letters or digits over and over (`aaaaaaaa`, `abababab`): a fill, not a password anyone chose."""
    core = _core(secret)
    return len(core) >= 4 and len(set(core)) <= 2


def is_keyboard_run(secret: str) -> bool:
    """Mostly an alphabet, digit or keyboard-row run (`qwerty12`, `abcdefgh12`, `1234567890`): a
    filler in docs, and also the first password many people choose."""
    core = _core(secret)
    return len(core) >= 4 and _longest_sequence(core) >= max(6, len(core) // 2)


HEX_DIGITS = "0123456789abcdef"
# each hex digit and the next, f wrapping to 0 (`...ef01...` keeps counting)
HEX_COUNT_PAIRS = frozenset(a + b for a, b in zip(HEX_DIGITS, HEX_DIGITS[1:] + HEX_DIGITS[0], strict=True))
# A run of 15 hex digits counting up (`123456789abcdef`) is all but impossible in a random token
# (16**-14 at any position), and it is how docs and tests fill a provider's prefix to its length:
# `CLOJARS_0123456789abcdef0123...`, `dapi123456789abcdef123456789abcdef00`.
HEX_COUNT_RUN = 15


def is_hex_count(secret: str) -> bool:
    """Hex digits counted up for 15 or more in a row (`0123456789abcdef0123...`): a filler."""
    return _longest_sequence(secret.lower(), HEX_COUNT_PAIRS) >= HEX_COUNT_RUN


def _core(secret: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", secret).lower()


SEQUENCE_PAIRS = frozenset(a + b for seq in SEQUENCES for a, b in zip(seq, seq[1:], strict=False))


def _longest_sequence(text: str, pairs: frozenset[str] = SEQUENCE_PAIRS) -> int:
    """Length of the longest run of neighbours (`pairs`: from an alphabet, digit or keyboard row)."""
    best = run = 1
    for a, b in zip(text, text[1:], strict=False):
        run = run + 1 if a + b in pairs else 1
        best = max(best, run)
    return best


def is_uuid(secret: str) -> bool:
    """A UUID as written (with its dashes). 32 bare hex digits are also `secrets.token_hex(16)`:
    the hex-digest check judges those by the name they are assigned to."""
    return "-" in secret and bool(UUID.match(secret))


def is_hex_digest(secret: str) -> bool:
    """Git SHAs and content hashes, and lock-file `integrity` values."""
    return is_hex_digest_shape(secret) or is_integrity_value(secret)


def is_hex_digest_shape(secret: str) -> bool:
    """32/40/56/64/96/128 hex digits: a digest's length, and also `secrets.token_hex()`'s, so the
    name it is assigned to decides (filters.context)."""
    return bool(HEX_DIGEST.match(secret))


def is_integrity_value(secret: str) -> bool:
    """`sha512-...`, `sha256:...`, `h1:...`: a digest that says so itself."""
    return bool(INTEGRITY.match(secret))
