//! Identifiers and bearer secrets (T3): random, at least 128 bits, shown once, stored as hashes.
//!
//! A token names its tenant and subject in clear so that verifying it is one `GetItem` of an item
//! whose key starts with the tenant (isolation by construction) and whose stored SHA-256 is
//! compared in constant time. The secret part is 192 random bits, so a fast hash is enough:
//! there is nothing to brute-force.

use rand::RngCore;
use sha2::{Digest, Sha256};

const SECRET_BYTES: usize = 24;

/// What a bearer token lets its holder be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A tenant admin key: `adm_<tenant>_<key>_<secret>` (a tenant's first key of before
    /// named keys, `adm_<tenant>_<secret>`, is read as the key named by the tenant's own id).
    Admin,
    /// An agent: `agt_<tenant>_<agent>_<secret>`.
    Agent,
    /// A guest's manage link for one meeting: `mng_<tenant>_<meeting>_<secret>`.
    Manage,
    /// A conversation's public link: `cnv_<tenant>_<conversation>_<secret>`.
    ConversationLink,
    /// An agent's calendar feed, read-only and revocable: `ics_<tenant>_<agent>_<secret>`. It is
    /// what a calendar service stores in a subscription URL, so it opens that feed and nothing else.
    CalendarFeed,
    /// A guest's session, proof of an email address for 30 days: `gss_<tenant>_<session>_<secret>`.
    GuestSession,
    /// The one-click confirmation link of a hold: `hld_<tenant>_<hold>_<secret>`.
    HoldLink,
    /// The one-click link of a sign-in's email (G8): `sgn_<tenant>_<sign-in>_<secret>`.
    SignInLink,
    /// An agent's console session (AC1), carried only in the console's cookie:
    /// `ags_<tenant>_<session>_<secret>`.
    AgentSession,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            TokenKind::Admin => "adm",
            TokenKind::Agent => "agt",
            TokenKind::Manage => "mng",
            TokenKind::ConversationLink => "cnv",
            TokenKind::CalendarFeed => "ics",
            TokenKind::GuestSession => "gss",
            TokenKind::HoldLink => "hld",
            TokenKind::SignInLink => "sgn",
            TokenKind::AgentSession => "ags",
        }
    }
}

/// A token split into its parts; `subject` is the agent or meeting id (the tenant id for admins).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub tenant_id: String,
    pub subject_id: String,
    pub secret: String,
}

/// A freshly minted token: the text to show once, and the hash to store.
pub struct Issued {
    pub token: String,
    /// The random part alone, for sealing (see [`seal`]).
    pub secret: String,
    pub hash: String,
}

/// A new random identifier: 80 bits as 20 lower-case hex digits (unique, not secret).
pub fn new_id() -> String {
    random_hex(10)
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// A six-digit code for a guest to type, uniformly random (leading zeros kept).
pub fn new_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// The hash a challenge keeps of its code: bound to the challenge, so one code's hash says
/// nothing about another challenge.
pub fn code_hash(challenge_id: &str, code: &str) -> String {
    hash(&format!("{challenge_id}:{code}"))
}

/// Whether `code` is the challenge's code (six digits whose [`code_hash`] is `stored_hash`),
/// compared without leaking where they differ.
pub fn code_matches(challenge_id: &str, code: &str, stored_hash: &str) -> bool {
    code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && matches(&format!("{challenge_id}:{code}"), stored_hash)
}

/// A public id that names its tenant (a hold, a sign-in): tenant and record ids, 40 hex digits,
/// so a request that carries only the id is still read from the tenant's own keys.
pub fn public_id(tenant_id: &str, id: &str) -> String {
    format!("{tenant_id}{id}")
}

/// The tenant and record ids back from a [`public_id`]; `None` for anything else.
pub fn split_public_id(text: &str) -> Option<(String, String)> {
    let ok = text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| (text[..20].to_ascii_lowercase(), text[20..].to_ascii_lowercase()))
}

/// A random secret with no structure, e.g. the operator key of a local stack.
pub fn new_secret() -> String {
    random_hex(SECRET_BYTES)
}

/// An address as keys and links name it: 128 bits of its SHA-256, never the address itself, so
/// no address, however it is written, can share a key or a key prefix with another.
pub fn address_digest(email: &str) -> String {
    hash(email)[..32].to_string()
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares a presented secret with a stored hash without leaking where they differ.
pub fn matches(secret: &str, stored_hash: &str) -> bool {
    let presented = hash(secret);
    presented.len() == stored_hash.len()
        && presented.bytes().zip(stored_hash.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

pub fn issue(kind: TokenKind, tenant_id: &str, subject_id: &str) -> Issued {
    let secret = new_secret();
    let token = compose(kind, tenant_id, subject_id, &secret);
    let hash = hash(&secret);
    Issued { token, secret, hash }
}

/// Rebuilds a token's text from its parts (used when a sealed secret is unsealed on replay).
pub fn compose(kind: TokenKind, tenant_id: &str, subject_id: &str, secret: &str) -> String {
    match kind {
        TokenKind::Admin if subject_id == tenant_id => format!("{}_{tenant_id}_{secret}", kind.prefix()),
        _ => format!("{}_{tenant_id}_{subject_id}_{secret}", kind.prefix()),
    }
}

/// Splits a presented token; anything malformed is simply not a token.
pub fn parse(text: &str) -> Option<Token> {
    if text.len() > 200 {
        return None;
    }
    let mut parts = text.split('_');
    let kind = match parts.next()? {
        "adm" => TokenKind::Admin,
        "agt" => TokenKind::Agent,
        "mng" => TokenKind::Manage,
        "cnv" => TokenKind::ConversationLink,
        "ics" => TokenKind::CalendarFeed,
        "gss" => TokenKind::GuestSession,
        "hld" => TokenKind::HoldLink,
        "sgn" => TokenKind::SignInLink,
        "ags" => TokenKind::AgentSession,
        _ => return None,
    };
    let tenant_id = parts.next()?.to_string();
    let rest: Vec<&str> = parts.by_ref().take(3).collect();
    let (subject_id, secret) = match (kind, rest.as_slice()) {
        // A first key of before named keys: the tenant's own id names it.
        (TokenKind::Admin, [secret]) => (tenant_id.clone(), secret.to_string()),
        (_, [subject, secret]) => (subject.to_string(), secret.to_string()),
        _ => return None,
    };
    let is_hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    if parts.next().is_some()
        || !is_hex(&tenant_id, 20)
        || !is_hex(&subject_id, 20)
        || !is_hex(&secret, 2 * SECRET_BYTES)
    {
        return None;
    }
    Some(Token { kind, tenant_id, subject_id, secret })
}

/// What a signed link lets its holder do (see `signing`): minted for each email without a write,
/// verified without a read of anything but what it opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// Read and write in one conversation as one member (G11): `cvm_<tenant>_<conversation>_<member>_<signature>`.
    ConversationMember,
    /// Stop one conversation's mail to one address (G7): `uns_<tenant>_<conversation>_<member>_<signature>`.
    Unsubscribe,
}

impl LinkKind {
    fn prefix(self) -> &'static str {
        match self {
            LinkKind::ConversationMember => "cvm",
            LinkKind::Unsubscribe => "uns",
        }
    }
}

/// A signed link's parts. `member` is the digest of the member's address (`store::keys::guest`),
/// so the link names nobody in clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedLink {
    pub kind: LinkKind,
    pub tenant_id: String,
    pub conversation_id: String,
    pub member: String,
    signature: String,
}

impl SignedLink {
    fn parts(&self) -> [&str; 4] {
        [self.kind.prefix(), &self.tenant_id, &self.conversation_id, &self.member]
    }

    /// Whether the deployment's key signed it.
    pub fn verify(&self, key: &crate::signing::Key) -> bool {
        key.verify(&self.parts(), &self.signature)
    }
}

/// A signed link for `member` (an address's digest) in a conversation.
pub fn sign_link(
    key: &crate::signing::Key,
    kind: LinkKind,
    tenant_id: &str,
    conversation_id: &str,
    member: &str,
) -> String {
    let signature = key.sign(&[kind.prefix(), tenant_id, conversation_id, member]);
    format!("{}_{tenant_id}_{conversation_id}_{member}_{signature}", kind.prefix())
}

/// Splits a presented signed link; anything malformed is simply not one.
pub fn parse_link(text: &str) -> Option<SignedLink> {
    if text.len() > 200 {
        return None;
    }
    let mut parts = text.split('_');
    let kind = match parts.next()? {
        "cvm" => LinkKind::ConversationMember,
        "uns" => LinkKind::Unsubscribe,
        _ => return None,
    };
    let (tenant_id, conversation_id, member, signature) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let is_hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    let shaped = parts.next().is_none()
        && is_hex(tenant_id, 20)
        && is_hex(conversation_id, 20)
        && is_hex(member, 32)
        && is_hex(signature, 32);
    shaped.then(|| SignedLink {
        kind,
        tenant_id: tenant_id.to_string(),
        conversation_id: conversation_id.to_string(),
        member: member.to_string(),
        signature: signature.to_string(),
    })
}

/// Seals a token's secret under an idempotency key, so a replayed booking can return the manage
/// token it first returned while the table holds neither the token nor the key (only its hash):
/// the secret XOR SHA-256("manage-token-seal" ‖ key). Each key seals exactly one secret.
pub fn seal(secret: &str, idempotency_key: &str) -> String {
    seal_labelled(b"manage-token-seal", secret, idempotency_key)
}

/// The same seal with another label, so two secrets sealed under one key use different pads.
pub fn seal_labelled(label: &[u8], secret: &str, idempotency_key: &str) -> String {
    let pad = Sha256::new().chain_update(label).chain_update(idempotency_key.as_bytes()).finalize();
    let bytes = hex::decode(secret).unwrap_or_default();
    hex::encode(bytes.iter().zip(pad.iter()).map(|(a, b)| a ^ b).collect::<Vec<u8>>())
}

/// The inverse of [`seal`] (XOR is its own inverse).
pub fn unseal(sealed: &str, idempotency_key: &str) -> String {
    seal(sealed, idempotency_key)
}

/// The inverse of [`seal_labelled`].
pub fn unseal_labelled(label: &[u8], sealed: &str, idempotency_key: &str) -> String {
    seal_labelled(label, sealed, idempotency_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_verify() {
        let tenant = new_id();
        let agent = new_id();
        let issued = issue(TokenKind::Agent, &tenant, &agent);
        let token = parse(&issued.token).unwrap();
        assert_eq!(
            (token.kind, token.tenant_id.as_str(), token.subject_id.as_str()),
            (TokenKind::Agent, tenant.as_str(), agent.as_str())
        );
        assert!(matches(&token.secret, &issued.hash));
        assert!(!matches(&new_secret(), &issued.hash));
        assert!(!issued.hash.contains(&token.secret), "only the hash is kept");
        let admin = issue(TokenKind::Admin, &tenant, &tenant);
        assert_eq!(parse(&admin.token).unwrap().subject_id, tenant);
    }

    #[test]
    fn malformed_tokens_are_not_tokens() {
        let good = issue(TokenKind::Manage, &new_id(), &new_id()).token;
        for bad in [
            String::new(),
            "mng".into(),
            good.replace("mng", "xyz"),
            format!("{good}_x"),
            good[..good.len() - 1].to_string(),
            "a".repeat(500),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key() {
        let secret = new_secret();
        let sealed = seal(&secret, "7f1c2a86-0b7e-4d1f-9a55-3f0d6f2c9e11");
        assert_ne!(sealed, secret);
        assert_eq!(unseal(&sealed, "7f1c2a86-0b7e-4d1f-9a55-3f0d6f2c9e11"), secret);
        assert_ne!(unseal(&sealed, "another-key-of-enough-length"), secret);
    }

    #[test]
    fn codes_are_six_digits_and_public_ids_name_their_tenant() {
        let code = new_code();
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        let (tenant, hold) = (new_id(), new_id());
        assert_eq!(split_public_id(&public_id(&tenant, &hold)), Some((tenant, hold)));
        assert_eq!(split_public_id("not-an-id"), None);
        assert_ne!(code_hash("a", "123456"), code_hash("b", "123456"));
    }

    #[test]
    fn signed_links_round_trip_and_refuse_tampering() {
        let key = crate::signing::Key::from_secret("a test key of at least thirty-two characters");
        let (tenant, conversation) = (new_id(), new_id());
        let member = hash("grace@example.com")[..32].to_string();
        let text = sign_link(&key, LinkKind::Unsubscribe, &tenant, &conversation, &member);
        let link = parse_link(&text).unwrap();
        assert_eq!((link.kind, link.member.as_str()), (LinkKind::Unsubscribe, member.as_str()));
        assert!(link.verify(&key));
        let forged = text.replacen("uns_", "cvm_", 1);
        assert!(!parse_link(&forged).unwrap().verify(&key), "a link of one kind is not one of another");
        let other = hash("eve@example.com")[..32].to_string();
        assert!(!parse_link(&text.replace(&member, &other)).unwrap().verify(&key), "another member");
        assert_eq!(parse_link(&format!("{text}_x")), None);
    }

    #[test]
    fn secrets_carry_at_least_128_bits() {
        assert!(new_secret().len() * 4 >= 128);
        assert_ne!(new_secret(), new_secret());
    }
}
