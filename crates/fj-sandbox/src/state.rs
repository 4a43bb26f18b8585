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

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde_json::{Value, json};

use super::config::{Config, Matching};
use super::document::{Created, CreditInfo, Fetched, SessionView, Sourcing, Workspace};
use super::envelope::ApiError;
use super::ids::{hash_bytes, mix, now_iso8601, object_id, push_hex, session_id, session_seq};
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
    id: String,
    /// Shared with the answers being written, which serialize from it after the lock is gone.
    request: Arc<SessionRequest>,
    created_at: String,
    updated_at: String,
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
    pending: Vec<Search>,
    /// How many candidates each batch for the current filters holds.
    per_batch: usize,
    last_fetched_at: Option<String>,
    revealed: HashSet<(String, RevealType)>,
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

impl SessionRecord {
    /// Moves the running search to `done` when its time has come, generating its candidates.
    /// `poll` is true for Get Session Details, the documented polling endpoint, which alone
    /// counts as a poll.
    fn observe(&mut self, config: &Config, poll: bool, now: Instant) {
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
            for search in std::mem::take(&mut self.pending) {
                let key = BatchKey {
                    seed: config.seed,
                    session_id: &self.id,
                    generation: search.generation,
                    batch: search.batch,
                    size: config.batch_size,
                };
                self.visible.extend(synth::batch(&self.request, &key));
            }
            self.status = Status::Done;
            let stamp = now_iso8601();
            self.last_fetched_at = Some(stamp.clone());
            self.updated_at = stamp;
        }
    }

    /// Starts (or, for Fetch More, extends) a search with one more batch.
    fn start(&mut self, status: Status, search: Search, now: Instant) {
        self.pending.push(search);
        self.status = status;
        self.polls = 0;
        self.started = now;
        self.updated_at = now_iso8601();
    }

    /// What the stored session document shows. `fresh` gives it as Create returns it: before
    /// matching starts (`idle`, no profiles) and before the charge is recorded on the session.
    fn view<'w>(&self, workspace: &'w Workspace, fresh: bool) -> SessionView<'w> {
        let matched = if fresh { 0 } else { self.visible.len() };
        let for_matching = if fresh {
            0
        } else {
            self.visible.len() + self.pending.len() * self.per_batch
        };
        SessionView {
            workspace,
            request: Arc::clone(&self.request),
            id: self.id.clone(),
            created_at: self.created_at.clone(),
            updated_at: if fresh {
                self.created_at.clone()
            } else {
                self.updated_at.clone()
            },
            last_fetched_at: if fresh {
                None
            } else {
                self.last_fetched_at.clone()
            },
            status: if fresh { "idle" } else { self.status.wire() },
            search_more: self.search_more,
            filter_changes: self.filter_changes,
            for_matching,
            matched,
            charged: !fresh,
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
    ledger: Ledger,
    /// In creation order: the `n`-th session's id is `session_id(seed, n)`, so an id gives its
    /// index back (`session_seq`) and no map from ids is kept. Boxed, so that growing the
    /// vector moves pointers rather than records (240 bytes each, the request not included).
    #[allow(clippy::vec_box)]
    sessions: Vec<Box<SessionRecord>>,
}

impl Inner {
    fn session_mut(&mut self, id: &str) -> Result<&mut SessionRecord, ApiError> {
        session_seq(self.seed, id)
            .and_then(|seq| usize::try_from(seq).ok())
            .and_then(|index| self.sessions.get_mut(index))
            .map(|record| &mut **record)
            .filter(|record| record.id == id)
            .ok_or_else(|| ApiError::not_found("Session"))
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
                ledger: Ledger::new(config.credits),
                sessions: Vec::new(),
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
        synth::batch_len(request, self.config.batch_size)
    }

    /// Create Sourcing Session: the `data` of the 201 answer.
    pub(crate) fn create(&self, request: SessionRequest) -> Result<Created<'_>, ApiError> {
        let cost = self.config.costs.create;
        let found = self.found(&request);
        let request = Arc::new(request);
        let now = Instant::now();
        let mut inner = self.lock();
        inner.ledger.ensure(Operation::Create, cost)?;
        let seq = inner.sessions.len() as u64;
        let id = session_id(self.config.seed, seq);
        let created_at = now_iso8601();
        let record = SessionRecord {
            id: id.clone(),
            request,
            updated_at: created_at.clone(),
            created_at,
            status: Status::Processing,
            polls: 0,
            started: now,
            filter_changes: 0,
            search_more: 0,
            visible: Vec::new(),
            pending: vec![Search {
                generation: 0,
                batch: 0,
            }],
            per_batch: found,
            last_fetched_at: None,
            revealed: HashSet::new(),
        };
        let remaining = inner.ledger.charge(Operation::Create, cost, &id);
        let session = record.view(&self.workspace, true);
        inner.sessions.push(Box::new(record));
        drop(inner);
        Ok(Created {
            session,
            sourcing: Sourcing {
                total_display_count: found,
                next_cursor: cursor(self.config.seed, &id, 0),
                filter_changes_counter: 0,
                search_more_counter: 0,
                profile_matching_status: Status::Processing.wire(),
                new_profiles_count: found,
                credit_info: credit_info(Operation::Create, cost, remaining),
            },
        })
    }

    /// The stored request of a session, for Update to merge into.
    pub(crate) fn request_of(&self, id: &str) -> Result<SessionRequest, ApiError> {
        Ok(SessionRequest::clone(&self.lock().session_mut(id)?.request))
    }

    /// Update Session with an already merged and validated request.
    pub(crate) fn update(&self, id: &str, request: SessionRequest) -> Result<Value, ApiError> {
        let cost = self.config.costs.update;
        let found = self.found(&request);
        let now = Instant::now();
        let mut inner = self.lock();
        inner.session_mut(id)?;
        inner.ledger.ensure(Operation::Update, cost)?;
        let session = inner.session_mut(id)?;
        let generation = session.filter_changes + 1;
        session.filter_changes = generation;
        session.request = Arc::new(request);
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
            "_id": session.id,
            "sessionTitle": session.request.title().unwrap_or(""),
            "profileMatchingStatus": status,
            "filterChangesCounter": filter_changes,
        });
        let remaining = inner.ledger.charge(Operation::Update, cost, id);
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

    /// Get Session Details (a poll).
    pub(crate) fn details(&self, id: &str) -> Result<Fetched<'_>, ApiError> {
        let mut inner = self.lock();
        let session = inner.session_mut(id)?;
        session.observe(&self.config, true, Instant::now());
        Ok(Fetched {
            session: session.view(&self.workspace, false),
        })
    }

    /// Fetch More Profiles.
    pub(crate) fn fetch_more(&self, id: &str) -> Result<Value, ApiError> {
        let cost = self.config.costs.fetch_more;
        let now = Instant::now();
        let mut inner = self.lock();
        inner.session_mut(id)?.observe(&self.config, false, now);
        inner.ledger.ensure(Operation::FetchMore, cost)?;
        let session = inner.session_mut(id)?;
        session.search_more += 1;
        let search = Search {
            generation: session.filter_changes,
            batch: session.search_more,
        };
        session.start(Status::FetchingMore, search, now);
        let remaining = inner.ledger.charge(Operation::FetchMore, cost, id);
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
        let session = inner.session_mut(id)?;
        session.observe(&self.config, false, Instant::now());
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
        let session = inner.session_mut(session_id)?;
        session.observe(&self.config, false, Instant::now());
        session
            .find_candidate(candidate_id)
            .map(Candidate::details)
            .ok_or_else(|| ApiError::not_found("Candidate"))
    }

    /// Get Project Sessions: every session, newest first (as the reference's example orders
    /// its ids).
    pub(crate) fn project_sessions(&self) -> Value {
        let now = Instant::now();
        let mut inner = self.lock();
        let list: Vec<Value> = inner
            .sessions
            .iter_mut()
            .rev()
            .map(|s| {
                s.observe(&self.config, false, now);
                json!({
                    "_id": s.id,
                    "sessionTitle": s.request.title().unwrap_or(""),
                    "jdDetail": {"userText": s.request.jd_text().unwrap_or("")},
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
        let session = inner.session_mut(session_id)?;
        session.observe(&self.config, false, Instant::now());
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
            let remaining = inner.ledger.charge(operation, cost, session_id);
            inner.session_mut(session_id)?.revealed.insert(key);
            credit_info(operation, cost, remaining)
        };
        let session = inner.session_mut(session_id)?;
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
        self.lock().ledger.charges().to_vec()
    }

    pub(crate) fn session_count(&self) -> usize {
        self.lock().sessions.len()
    }

    pub(crate) fn session_ids(&self) -> Vec<String> {
        self.lock().sessions.iter().map(|s| s.id.clone()).collect()
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

/// An opaque `next_cursor`, as the API returns one (its content is meaningless to clients).
fn cursor(seed: u64, session_id: &str, batch: u32) -> String {
    let h = hash_bytes(seed, session_id.as_bytes());
    let mut cursor = String::with_capacity(28);
    cursor.push_str("sbx_");
    push_hex(&mut cursor, mix(h, u64::from(batch)), 16);
    push_hex(&mut cursor, u64::from(batch), 8);
    cursor
}
