"""The labelled kinds: true credentials (positives) and hard negatives, each a value maker.

A positive is (kind, variable name, value); a negative is the same with a value that must not be
reported. Every value comes from a seeded `testing.fakes.Fakes`, so the corpus is reproducible and
nothing here is, or was, a real credential.
"""

from __future__ import annotations

import base64
import hashlib
import string
import uuid

from testing.fakes import ALNUM, Fakes

HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
LOWER_ALNUM = string.ascii_lowercase + string.digits
# Values are regenerated when they contain one of these by chance (they would be placeholders).
AVOID = ("example", "sample", "dummy", "todo", "xxxx", "test", "fake", "mock", "fixme", "your",
         "insert", "redact", "abcd", "1234", "qwer", "aaaa", "0000", "lorem", "foobar")


def clean(make, fakes: Fakes) -> str:
    for _ in range(50):
        value = make(fakes)
        if not any(word in value.lower() for word in AVOID):
            return value
    return value


# (kind, variable name, maker) — provider tokens keep their own prefixes and checksums.
PROVIDER_POSITIVES = (
    ("aws-access-key-id", "aws_access_key_id", lambda f: f.aws_access_key_id()),
    ("aws-secret-access-key", "aws_secret_access_key", lambda f: f.aws_secret_access_key()),
    ("github-classic-pat", "github_token", lambda f: f.github_token("ghp")),
    ("github-oauth-token", "gh_oauth_token", lambda f: f.github_token("gho")),
    ("github-fine-grained-pat", "gh_token", lambda f: "github_pat_" + f.chars(ALNUM, 22) + "_" + f.chars(ALNUM, 59)),
    ("gitlab-pat", "gitlab_token", lambda f: "glpat-" + f.chars(ALNUM + "-_", 20)),
    ("slack-bot-token", "slack_token", lambda f: f.slack_bot_token()),
    ("slack-webhook", "slack_webhook_url", lambda f: "https://hooks.slack.com/services/T" + f.chars(string.ascii_uppercase + string.digits, 10)
     + "/B" + f.chars(string.ascii_uppercase + string.digits, 10) + "/" + f.chars(ALNUM, 24)),
    ("stripe-live-secret", "stripe_key", lambda f: f.stripe_live_key()),
    ("google-api-key", "google_api_key", lambda f: "AI" + "za" + f.chars(ALNUM + "-_", 35)),
    ("openai-api-key", "openai_api_key", lambda f: "sk-proj-" + f.chars(ALNUM + "-_", 74) + "T3Blbk" + "FJ" + f.chars(ALNUM + "-_", 74)),
    ("anthropic-api-key", "anthropic_api_key", lambda f: "sk-ant-api03-" + f.chars(ALNUM + "-_", 93) + "AA"),
    ("npm-token", "npm_token", lambda f: f.crc32_token("npm")),
    ("sendgrid-api-key", "sendgrid_api_key", lambda f: "SG." + f.chars(ALNUM + "-_", 22) + "." + f.chars(ALNUM + "-_", 43)),
    ("twilio-api-key", "twilio_api_key", lambda f: "SK" + f.chars(HEX, 32)),
    ("huggingface-token", "hf_token", lambda f: "hf_" + f.chars(ALNUM, 34)),
    ("digitalocean-pat", "do_token", lambda f: "dop_v1_" + f.chars(HEX, 64)),
    ("shopify-access-token", "shopify_token", lambda f: "shpat_" + f.chars(HEX, 32)),
    ("hashicorp-vault-token", "vault_token", lambda f: "hvs." + f.chars(ALNUM + "-_", 90)),
    ("databricks-token", "databricks_token", lambda f: "dapi" + f.chars(HEX, 32)),
    ("jwt", "session_jwt", lambda f: f.jwt()),
    # URL passwords are URL-safe characters (a raw `@` or `#` would not be a valid URL).
    ("postgres-uri", "database_url", lambda f: f"postgres://app:{f.chars(ALNUM + '-_.~', 18)}@db.internal:5432/orders"),
    ("mongodb-uri", "mongo_url", lambda f: f"mongodb+srv://svc:{f.chars(ALNUM, 20)}@cluster0.mongodb.net/app"),
    ("basic-auth-url", "registry_url", lambda f: f"https://deploy:{f.chars(ALNUM, 20)}@registry.internal/v2/"),
    ("azure-storage-connection-string", "storage_connection", lambda f: "DefaultEndpointsProtocol=https;AccountName=acme"
     + f.chars(string.ascii_lowercase, 6) + ";AccountKey=" + f.chars(B64, 86) + "==;EndpointSuffix=core.windows.net"),
)
# Generic passwords, one kind per syntax (the syntax name is appended to the kind).
GENERIC_NAMES = ("password", "db_password", "secret_key", "api_key", "auth_token", "client_secret")


def generic_password(f: Fakes) -> str:
    return f.password(f.rng.randrange(14, 24))


def wrong_checksum(token: str) -> str:
    """The same token with its last character changed: the checksum no longer holds."""
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


def bcrypt_like(f: Fakes) -> str:
    return "$2b$12$" + f.chars(ALNUM + "./", 53)


def png_base64(f: Fakes) -> str:
    return base64.b64encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + f.rng.randbytes(90)).decode()


def integrity(f: Fakes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(f.rng.randbytes(16)).digest()).decode()


# (kind, variable name, maker): values that sit where a secret could, and are not one.
NEGATIVES = (
    ("placeholder", "password", lambda f: f.rng.choice(["changeme", "<YOUR_PASSWORD>", "xxxxxxxxxxxx", "your-api-key-here", "REPLACE_ME", "********"])),
    ("env-reference", "db_password", lambda f: f.rng.choice(["${DB_PASSWORD}", "$DB_PASSWORD", "%(db_password)s"])),
    ("templated", "api_key", lambda f: f.rng.choice(["{{ .Values.apiKey }}", "{{ api_key }}", "{{resolve:secretsmanager:prod/app:SecretString:key}}", "#{apiKey}"])),
    ("uuid", "client_id", lambda f: str(uuid.UUID(int=f.rng.getrandbits(128), version=4))),
    ("git-sha", "commit_sha", lambda f: f.chars(HEX, 40)),
    ("content-hash", "checksum", lambda f: f.chars(HEX, 64)),
    ("bcrypt-hash", "password_hash", bcrypt_like),
    ("argon2-hash", "password", lambda f: "$argon2id$v=19$m=65536,t=3,p=4$" + f.chars(B64, 22) + "$" + f.chars(B64, 43)),
    ("base64-image", "icon", lambda f: "data:image/png;base64," + png_base64(f)),
    ("test-word", "password", lambda f: f.rng.choice(["testpassword", "test1234", "fakepassword", "mock-secret", "dummy_token"])),
    ("aws-example-key", "aws_access_key_id", lambda f: "AKIA" + "IOSFODNN7" + "EXAMPLE"),
    ("wrong-checksum-github", "github_token", lambda f: wrong_checksum(f.github_token("ghp"))),
    ("wrong-checksum-npm", "npm_token", lambda f: wrong_checksum(f.crc32_token("npm"))),
    ("prose", "password_label", lambda f: f.rng.choice(["Please enter your password", "Mot de passe oublié ?", "Passwort vergessen", "Contraseña incorrecta"])),
    ("identifier", "password_field", lambda f: f.rng.choice(["user_password", "PASSWORD_HASH_ALGO", "newPassword", "auth.token.header"])),
    ("file-path", "password_file", lambda f: f.rng.choice(["/run/secrets/db_password", "./secrets/api.key", "/etc/app/token"])),
    ("encrypted", "secret", lambda f: "ENC[AES256_GCM,data:" + f.chars(B64, 24) + ",iv:" + f.chars(B64, 22) + ",type:str]"),
    ("code-expression", "auth_token", lambda f: f.rng.choice(["request.headers.get('Authorization')", "get_secret(name)", "self._load_token()", "config['api_key']"])),
    ("url-without-credentials", "token_url", lambda f: f.rng.choice(["https://login.microsoftonline.com/common/oauth2/v2.0/token", "https://oauth2.googleapis.com/token", "https://api.acme.internal/v1/auth/refresh"])),
    ("header-name", "api_key_header", lambda f: f.rng.choice(["X-API-Key", "X-Auth-Token", "Authorization", "Proxy-Authorization"])),
    ("secret-store-name", "secret_name", lambda f: f.rng.choice(["prod/orders/db-password", "/acme/prod/api_token", "staging/payments/stripe-key"])),
    ("regex-pattern", "password_pattern", lambda f: f.rng.choice(["^(?=.*[A-Z])(?=.*\\d).{12,}$", "[A-Za-z0-9]{8,64}", "^ghp_[A-Za-z0-9]{36}$"])),
    ("numeric-setting", "token_ttl_seconds", lambda f: str(f.rng.choice([86400000, 604800000, 31536000]))),
    ("format-string", "password", lambda f: f.rng.choice(["{db_password}", "{password}", "%s", "{0}"])),
    ("key-vault-reference", "client_secret", lambda f: "@Microsoft.KeyVault(SecretUri=https://acme-kv.vault.azure.net/secrets/client-secret/)"),
)
