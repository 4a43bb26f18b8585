//! Response types: lenient, typed views of what each endpoint returns.
//!
//! All examples in the reference are abbreviated, so every documented field is typed but
//! optional, and fields the reference does not show are kept in each type's `extra` map instead
//! of being dropped. Inconsistencies between endpoints are handled here and named on the types.

mod annotation;
mod autocomplete;
mod candidate;
mod contact;
mod de;
mod envelope;
mod id;
mod profile;
mod session;
mod status;

pub(crate) use annotation::decode_annotations;
pub(crate) use autocomplete::decode_suggestions;
pub use autocomplete::{Suggestion, Suggestions};
pub use candidate::{CandidateDetails, CandidateProfile, Education, Employer};
pub use contact::{ContactEntry, Contacts};
pub(crate) use de::DecodeFailure;
pub(crate) use envelope::{Decoded, decode_charged, decode_enveloped};
pub use fj_sourcing_query::{Annotation, Annotations};
pub use id::{InvalidObjectId, ObjectId};
pub use profile::{
    Candidate, EmployerSummary, Highlight, ProfileAnalysis, ProfilePage, ProfileSummary,
    RevealState, RevealStatus,
};
pub use session::{
    CreatedSession, CreditInfo, FetchMoreStarted, JdDetail, QueryEcho, SessionDetails,
    SessionMetadata, SourcingInfo, SourcingSession, UpdatedSession,
};
pub use status::ProfileMatchingStatus;
