//! Response types: lenient, typed views of what each endpoint returns.
//!
//! All examples in the reference are abbreviated, so every documented field is typed but
//! optional, and fields the reference does not show are kept in each type's `extra` map instead
//! of being dropped. Inconsistencies between endpoints are handled here and named on the types.

mod de;
mod envelope;
mod session;
mod status;

pub(crate) use envelope::{Decoded, decode_enveloped};
pub use session::{
    CreatedSession, CreditInfo, FetchMoreStarted, JdDetail, QueryEcho, SessionDetails,
    SessionMetadata, SourcingInfo, SourcingSession, UpdatedSession,
};
pub use status::ProfileMatchingStatus;
