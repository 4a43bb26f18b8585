//! The sandbox's memory: sessions, their candidates and the credit ledger, behind one mutex.
//!
//! Every method is synchronous and takes the lock for a short, await-free critical section, so
//! the lock is never held across an `.await`. Credit checks and the changes they pay for happen
//! in the same critical section: concurrent creates can never overspend, and a refused (402)
//! operation changes nothing.
//!
//! A search's candidates are generated when the search is seen `done`, not when it starts: they
//! follow from the seed, the session and its filters alone, so waiting changes nothing a client
//! can see, and creating a session stays cheap (generating a batch cost about three times as
//! much as the rest of a create; `benches/sandbox.rs` measures creates).
//!
//! A stored session takes about 0.6 KB for the reference's 3-filter request
//! (`benches/sandbox_scale.rs` measures it): the request is kept as its compact JSON, ids are
//! derived from sequence numbers and timestamps are numbers. With `max_sessions`, the oldest
//! sessions are evicted, so that a long-running sandbox's memory stays bounded.

use std::collections::{HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::body::Bytes;
use serde_json::{Value, json};

use super::config::{Config, Matching};
use super::document::{self, SessionFields, Sourcing, Workspace};
use super::envelope::{ApiError, CreditInfo};
use super::ids::{
    hash_bytes, mix, now_millis, object_id, session_id, session_object_id, session_seq, write_hex,
};
use fj_sourcing_query::RevealType;

use super::limits::{Charge, Ledger, Operation};
use super::synth::{self, BatchKey, Candidate};
use fj_sourcing_query::SessionRequest;

/// Where a session's search stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Processing,
    FetchingMore,
    Done,
}

impl Status {
    fn wire(self) -> &'static str {
        match self {
            Status::Processing => "processing",
            Status::FetchingMore => "fetching_more",
            Status::Done => "done",
        }
    }
}

struct SessionRecord {
    /// The request as JSON: Create's body as it arrived (shared with the journal; it was just
    /// read into this very request), Update's merged request as `SessionRequest::to_json_vec`
    /// writes it. The parsed reference request takes about 1.1 KB in 14 heap blocks, its JSON
    /// about 400-550 bytes in one; it is parsed again only where the filters are needed (a
    /// search finishing, Update, the session document of Get Session Details).
    request: Bytes,
    /// Milliseconds since the Unix epoch.
    created_at: u64,
    updated_at: u64,
    last_fetched_at: Option<u64>,
    status: Status,
    /// Polls answered since the running search started.
    polls: u32,
    started: Instant,
    filter_changes: u32,
    search_more: u32,
    /// Candidates of finished searches, in list order.
    visible: Vec<Candidate>,
    /// The running search's batches (more than one when Fetch More joined it), generated and
    /// shown once it is `done`.
    pending: Pending,
    /// How many candidates each batch for the current filters holds.
    per_batch: usize,
    revealed: HashSet<(String, RevealType)>,
}

/// A stored request, parsed back. It was written by `to_json_vec` from a valid request, and
/// serializing then parsing gives back an equal request (`tests/proptest_request.rs`), so this
/// cannot fail.
fn parse_stored(json: &[u8]) -> SessionRequest {
    SessionRequest::from_slice(json).expect("a stored request is the JSON of a valid request")
}

/// One batch of a search, not generated yet.
///
/// Its candidates are those of `synth::batch` for the session's current filters: a search
/// always runs on them, since Update drops the pending batches when it changes the filters.
#[derive(Clone, Copy, Debug)]
struct Search {
    /// `filterChangesCounter` when the search started.
    generation: u32,
    /// 0 for the first search after Create or Update, then one more per Fetch More.
    batch: u32,
}

/// The batches of a running search, in order: the first inline, since most searches have only
/// one (Create's, Update's) and a `Vec` of one took a heap block per session; batches that Fetch
/// More joined to it follow in `more`.
#[derive(Debug, Default)]
struct Pending {
    first: Option<Search>,
    more: Vec<Search>,
}

impl Pending {
    fn one(search: Search) -> Self {
        Pending {
            first: Some(search),
            more: Vec::new(),
        }
    }

    fn push(&mut self, search: Search) {
        if self.first.is_none() {
            self.first = Some(search);
        } else {
            self.more.push(search);
        }
    }

    fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.more.len()
    }

    fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    fn clear(&mut self) {
        self.first = None;
        self.more.clear();
    }

    fn batches(self) -> impl Iterator<Item = Search> {
        self.first.into_iter().chain(self.more)
    }
}

impl SessionRecord {
    /// Moves the running search to `done` when its time has come, generating its candidates.
    /// `poll` is true for Get Session Details, the documented polling endpoint, which alone
    /// counts as a poll. `id` is the session's id.
    fn observe(&mut self, config: &Config, id: &str, poll: bool, now: Instant) {
        if self.status == Status::Done {
            return;
        }
        let finished = match config.matching {
            Matching::Polls(needed) => {
                if !poll {
                    return;
                }
                let finished = self.polls >= needed;
                self.polls += 1;
                finished
            }
            Matching::Delay(delay) => now.duration_since(self.started) >= delay,
        };
        if finished {
            let pending = std::mem::take(&mut self.pending);
            if !pending.is_empty() {
                let stored = parse_stored(&self.request);
                let request = config.vocabulary.known_only(&stored);
                for search in pending.batches() {
                    let Some(request) = &request else { break };
                    let key = BatchKey {
                        seed: config.seed,
                        session_id: id,
                        generation: search.generation,
                        batch: search.batch,
                        size: config.batch_size,
                    };
                    self.visible.extend(synth::batch(request, &key));
                }
            }
            self.status = Status::Done;
            let stamp = now_millis();
            self.last_fetched_at = Some(stamp);
            self.updated_at = stamp;
        }
    }

    /// Starts (or, for Fetch More, extends) a search with one more batch.
    fn start(&mut self, status: Status, search: Search, now: Instant) {
        self.pending.push(search);
        self.status = status;
        self.polls = 0;
        self.started = now;
        self.updated_at = now_millis();
    }

    /// What the stored session document shows besides the request.
    fn fields<'a>(&self, id: &'a str) -> SessionFields<'a> {
        SessionFields {
            id,
            created_at: self.created_at,
            updated_at: self.updated_at,
            last_fetched_at: self.last_fetched_at,
            status: self.status.wire(),
            search_more: self.search_more,
            filter_changes: self.filter_changes,
            for_matching: self.visible.len() + self.pending.len() * self.per_batch,
            matched: self.visible.len(),
            charged: true,
        }
    }

    fn find_candidate(&self, id: &str) -> Option<&Candidate> {
        self.visible.iter().find(|c| c.id == id)
    }

    fn find_by_url(&self, url: &str) -> Option<&Candidate> {
        let wanted = url.trim().trim_end_matches('/');
        self.visible
            .iter()
            .find(|c| c.linkedin_url.eq_ignore_ascii_case(wanted))
    }
}

struct Inner {
    /// The sandbox's seed, which session ids are made from.
    seed: u64,
    /// `SandboxBuilder::max_sessions`, `usize::MAX` when unbounded.
    max_sessions: usize,
    ledger: Ledger,
    /// The stored sessions in creation order: the `n`-th session ever created has the id
    /// `session_id(seed, n)`, so an id gives its sequence number back (`session_seq`) and no
    /// map from ids is kept. With `max_sessions`, the oldest are evicted from the front.
    sessions: VecDeque<SessionRecord>,
    /// The sequence number of `sessions[0]`: how many sessions were evicted.
    first_seq: u64,
}

impl Inner {
    /// The session `id` and its sequence number; a 404 saying so when it was evicted.
    fn session_mut(&mut self, id: &str) -> Result<(u64, &mut SessionRecord), ApiError> {
        let seq = session_seq(self.seed, id).filter(|seq| session_id(self.seed, *seq) == id);
        let Some(seq) = seq else {
            return Err(ApiError::not_found("Session"));
        };
        if seq < self.first_seq {
            return Err(ApiError::evicted(self.max_sessions));
        }
        usize::try_from(seq - self.first_seq)
            .ok()
            .and_then(|index| self.sessions.get_mut(index))
            .map(|record| (seq, record))
            .ok_or_else(|| ApiError::not_found("Session"))
    }

    /// Evicts the oldest sessions (and the charges made before the oldest one kept) until at
    /// most `max` are stored.
    fn evict(&mut self, max: usize) {
        while self.sessions.len() > max {
            self.sessions.pop_front();
            self.first_seq += 1;
        }
        self.ledger.forget_before(self.first_seq);
    }
}

/// A page request for Get Profiles for Session (already validated: both at least 1).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Page {
    pub(crate) page: u64,
    pub(crate) limit: u64,
}

/// All sandbox state.
pub(crate) struct Store {
    config: Config,
    workspace: Workspace,
    inner: Mutex<Inner>,
}

impl Store {
    pub(crate) fn new(config: Config) -> Self {
        let seed = config.seed;
        Store {
            workspace: Workspace {
                workspace_id: object_id(mix(seed, 0x57)),
                project_id: object_id(mix(seed, 0x50)),
                user_id: object_id(mix(seed, 0x55)),
            },
            inner: Mutex::new(Inner {
                seed,
                max_sessions: config.max_sessions.unwrap_or(usize::MAX),
                ledger: Ledger::new(config.credits),
                sessions: VecDeque::new(),
                first_seq: 0,
            }),
            config,
        }
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not turn every later request into a panic too.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many candidates a search for `request` finds (checked before taking the lock).
    fn found(&self, request: &SessionRequest) -> usize {
        let known = self.config.vocabulary.known_only(request);
        known.map_or(0, |request| {
            synth::batch_len(&request, self.config.batch_size)
        })
    }

    /// Create Sourcing Session: the 201 answer. `body` is the JSON `request` was read from.
    pub(crate) fn create(
        &self,
        request: &SessionRequest,
        body: Bytes,
    ) -> Result<Vec<u8>, ApiError> {
        let cost = self.config.costs.create;
        let found = self.found(request);
        let now = Instant::now();
        let created_at = now_millis();
        let mut inner = self.lock();
        inner.ledger.ensure(Operation::Create, cost)?;
        let seq = inner.first_seq + inner.sessions.len() as u64;
        let remaining = inner.ledger.charge(Operation::Create, cost, seq);
        inner.sessions.push_back(SessionRecord {
            request: body,
            created_at,
            updated_at: created_at,
            last_fetched_at: None,
            status: Status::Processing,
            polls: 0,
            started: now,
            filter_changes: 0,
            search_more: 0,
            visible: Vec::new(),
            pending: Pending::one(Search {
                generation: 0,
                batch: 0,
            }),
            per_batch: found,
            revealed: HashSet::new(),
        });
        let max = inner.max_sessions;
        inner.evict(max);
        drop(inner);
        let id = session_object_id(self.config.seed, seq);
        let next_cursor = Cursor::new(self.config.seed, id.as_bytes(), 0);
        let sourcing = Sourcing {
            found,
            next_cursor: next_cursor.as_str(),
            filter_changes_counter: 0,
            search_more_counter: 0,
            profile_matching_status: Status::Processing.wire(),
            new_profiles_count: found,
            credit_info: credit_info(Operation::Create, cost, remaining),
        };
        // As Create returns it: before matching starts (`idle`, no profiles) and before the
        // charge is recorded on the session.
        let fields = SessionFields {
            id: id.as_str(),
            created_at,
            updated_at: created_at,
            last_fetched_at: None,
            status: "idle",
            search_more: 0,
            filter_changes: 0,
            for_matching: 0,
            matched: 0,
            charged: false,
        };
        document::created(&self.workspace, request, &fields, sourcing)
    }

    /// The stored request of a session, for Update to merge into.
    pub(crate) fn request_of(&self, id: &str) -> Result<SessionRequest, ApiError> {
        let json = self.lock().session_mut(id)?.1.request.clone();
        Ok(parse_stored(&json))
    }

    /// Update Session with an already merged and validated request.
    pub(crate) fn update(&self, id: &str, request: SessionRequest) -> Result<Value, ApiError> {
        let cost = self.config.costs.update;
        let found = self.found(&request);
        let json = Bytes::from(request.to_json_vec());
        let now = Instant::now();
        let mut inner = self.lock();
        inner.session_mut(id)?;
        inner.ledger.ensure(Operation::Update, cost)?;
        let (seq, session) = inner.session_mut(id)?;
        let generation = session.filter_changes + 1;
        session.filter_changes = generation;
        session.request = json;
        session.visible.clear();
        session.pending.clear();
        session.per_batch = found;
        let search = Search {
            generation,
            batch: 0,
        };
        session.start(Status::Processing, search, now);
        let (status, filter_changes) = (session.status.wire(), session.filter_changes);
        let session = json!({
            "_id": id,
            "sessionTitle": request.title().unwrap_or(""),
            "profileMatchingStatus": status,
            "filterChangesCounter": filter_changes,
        });
        let remaining = inner.ledger.charge(Operation::Update, cost, seq);
        // The documented answer has `session` only; `sourcing` reports the search and its
        // charge in Create's shape, which is where a client reads them from.
        Ok(json!({
            "session": session,
            "sourcing": {
                "profileMatchingStatus": status,
                "filterChangesCounter": filter_changes,
                "creditInfo": credit_info(Operation::Update, cost, remaining),
            }
        }))
    }

    /// Get Session Details (a poll): the 200 answer.
    pub(crate) fn details(&self, id: &str) -> Result<Vec<u8>, ApiError> {
        let mut inner = self.lock();
        let (_, session) = inner.session_mut(id)?;
        session.observe(&self.config, id, true, Instant::now());
        let fields = session.fields(id);
        let json = session.request.clone();
        drop(inner);
        document::fetched(&self.workspace, &parse_stored(&json), &fields)
    }

    /// Fetch More Profiles.
    pub(crate) fn fetch_more(&self, id: &str) -> Result<Value, ApiError> {
        let cost = self.config.costs.fetch_more;
        let now = Instant::now();
        let mut inner = self.lock();
        inner
            .session_mut(id)?
            .1
            .observe(&self.config, id, false, now);
        inner.ledger.ensure(Operation::FetchMore, cost)?;
        let (seq, session) = inner.session_mut(id)?;
        session.search_more += 1;
        let search = Search {
            generation: session.filter_changes,
            batch: session.search_more,
        };
        session.start(Status::FetchingMore, search, now);
        let remaining = inner.ledger.charge(Operation::FetchMore, cost, seq);
        Ok(json!({
            "profileMatchingStatus": Status::FetchingMore.wire(),
            "creditInfo": credit_info(Operation::FetchMore, cost, remaining),
        }))
    }

    /// Get Profiles for Session: the candidates of finished searches, one page.
    ///
    /// While a search runs, only the results of earlier finished searches are listed (none for a
    /// new or just updated session); the reference leaves this case open.
    pub(crate) fn profiles(&self, id: &str, page: Page) -> Result<Value, ApiError> {
        let mut inner = self.lock();
        let (_, session) = inner.session_mut(id)?;
        session.observe(&self.config, id, false, Instant::now());
        let total = session.visible.len() as u64;
        let start = (page.page - 1).saturating_mul(page.limit);
        let docs: Vec<Value> = session
            .visible
            .iter()
            .skip(usize::try_from(start).unwrap_or(usize::MAX))
            .take(usize::try_from(page.limit).unwrap_or(usize::MAX))
            .map(Candidate::list_item)
            .collect();
        drop(inner);
        // As the mongoose-paginate plugin whose field names the API uses: at least one page.
        let total_pages = total.div_ceil(page.limit).max(1);
        let has_next = page.page < total_pages;
        let has_prev = page.page > 1;
        Ok(json!({
            "docs": docs,
            "totalDocs": total,
            "limit": page.limit,
            "page": page.page,
            "totalPages": total_pages,
            "pagingCounter": start.saturating_add(1),
            "hasPrevPage": has_prev,
            "hasNextPage": has_next,
            "prevPage": if has_prev { Some(page.page - 1) } else { None },
            "nextPage": if has_next { Some(page.page + 1) } else { None },
        }))
    }

    /// Get Candidate Details.
    pub(crate) fn candidate(
        &self,
        candidate_id: &str,
        session_id: &str,
    ) -> Result<Value, ApiError> {
        let mut inner = self.lock();
        let (_, session) = inner.session_mut(session_id)?;
        session.observe(&self.config, session_id, false, Instant::now());
        session
            .find_candidate(candidate_id)
            .map(Candidate::details)
            .ok_or_else(|| ApiError::not_found("Candidate"))
    }

    /// Get Project Sessions: every stored session, newest first (as the reference's example
    /// orders its ids).
    pub(crate) fn project_sessions(&self) -> Value {
        let now = Instant::now();
        let mut inner = self.lock();
        let Inner {
            seed,
            first_seq,
            sessions,
            ..
        } = &mut *inner;
        let list: Vec<Value> = sessions
            .iter_mut()
            .enumerate()
            .rev()
            .map(|(index, s)| {
                let id = session_id(*seed, *first_seq + index as u64);
                s.observe(&self.config, &id, false, now);
                let request = parse_stored(&s.request);
                json!({
                    "_id": id,
                    "sessionTitle": request.title().unwrap_or(""),
                    "jdDetail": {"userText": request.jd_text().unwrap_or("")},
                    "totalProfiles": s.visible.len(),
                })
            })
            .collect();
        Value::Array(list)
    }

    /// Reveal Contact. Charged once per (session, profile, contact type); asking again returns
    /// the same data for free. Both entries are always listed; one not revealed yet in this
    /// session is `{"values": [], "status": null}`. Also returns the call's `creditInfo`
    /// (`charged: false`, amount 0, for a repeat).
    pub(crate) fn reveal(
        &self,
        session_id: &str,
        profile_url: &str,
        kind: RevealType,
    ) -> Result<(Value, CreditInfo), ApiError> {
        let cost = self.config.costs.reveal;
        let mut inner = self.lock();
        let (seq, session) = inner.session_mut(session_id)?;
        session.observe(&self.config, session_id, false, Instant::now());
        let candidate = session
            .find_by_url(profile_url)
            .ok_or_else(|| ApiError::not_found("Profile"))?
            .clone();
        let key = (candidate.linkedin_url.clone(), kind);
        let operation = Operation::Reveal(kind);
        let credit = if session.revealed.contains(&key) {
            CreditInfo {
                charged: false,
                amount: 0,
                reason: "Already revealed in this session",
                remaining_credits: inner.ledger.balance(),
            }
        } else {
            inner.ledger.ensure(operation, cost)?;
            let remaining = inner.ledger.charge(operation, cost, seq);
            inner.session_mut(session_id)?.1.revealed.insert(key);
            credit_info(operation, cost, remaining)
        };
        let (_, session) = inner.session_mut(session_id)?;
        let entry = |kind: RevealType, value: &str| {
            if session
                .revealed
                .contains(&(candidate.linkedin_url.clone(), kind))
            {
                json!({"type": kind.as_str(), "values": [value], "status": "FOUND"})
            } else {
                json!({"type": kind.as_str(), "values": [], "status": null})
            }
        };
        let entries = json!([
            entry(RevealType::Email, &candidate.email),
            entry(RevealType::Phone, &candidate.phone),
        ]);
        Ok((entries, credit))
    }

    pub(crate) fn credits(&self) -> u64 {
        self.lock().ledger.balance()
    }

    pub(crate) fn set_credits(&self, credits: u64) {
        self.lock().ledger.set_balance(credits);
    }

    pub(crate) fn charges(&self) -> Vec<Charge> {
        let seed = self.config.seed;
        self.lock().ledger.charges(|seq| session_id(seed, seq))
    }

    pub(crate) fn session_count(&self) -> usize {
        self.lock().sessions.len()
    }

    pub(crate) fn session_ids(&self) -> Vec<String> {
        let inner = self.lock();
        (0..inner.sessions.len() as u64)
            .map(|i| session_id(inner.seed, inner.first_seq + i))
            .collect()
    }
}

/// The `creditInfo` of a paid operation that was charged `cost` (nothing when it costs 0).
fn credit_info(operation: Operation, cost: u64, remaining: u64) -> CreditInfo {
    CreditInfo {
        charged: cost > 0,
        amount: cost,
        reason: operation.reason(),
        remaining_credits: remaining,
    }
}

/// An opaque `next_cursor`, as the API returns one (its content is meaningless to clients):
/// `sbx_`, 16 hex digits of a hash of the session and the batch, and the batch in 8.
struct Cursor([u8; 28]);

impl Cursor {
    fn new(seed: u64, session_id: &[u8], batch: u32) -> Self {
        let h = hash_bytes(seed, session_id);
        let mut cursor = *b"sbx_000000000000000000000000";
        write_hex(&mut cursor[4..20], mix(h, u64::from(batch)));
        write_hex(&mut cursor[20..], u64::from(batch));
        Cursor(cursor)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}
