//! Every candidate of a session as a stream, page after page.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use tokio::task::JoinHandle;

use super::{Client, Response};
use crate::error::{DecodeError, Error};
use crate::model::{Candidate, ProfilePage};

type PageResult = Result<Response<ProfilePage>, Error>;

/// The candidates of a session, from [`Client::profiles_stream`].
///
/// Pages are requested in order, following `hasNextPage`/`nextPage`. While the candidates of one
/// page are being consumed, the next page is already being fetched (on the Tokio runtime), and no
/// further: at most one page ahead. The first error is yielded, then the stream ends. Dropping the
/// stream cancels the fetch in flight.
///
/// A candidate whose `_id` was on the page before is skipped, so each candidate appears once even
/// if the list shifts by up to a page between requests (for example when a Fetch More batch lands
/// during the walk; the reference does not say whether new profiles are appended). Only the ids
/// of one page are kept for that, so memory does not grow with the number of candidates.
pub struct ProfileStream {
    client: Client,
    session_id: String,
    page_size: u32,
    state: State,
    buffer: VecDeque<Candidate>,
    /// The ids on the last page fetched.
    seen: HashSet<String>,
}

enum State {
    /// Nothing requested yet (the first page is requested on first poll, inside the runtime).
    Start,
    /// A page is being fetched.
    Fetching {
        page: u64,
        task: JoinHandle<PageResult>,
    },
    /// No page is being fetched and none will be.
    Finished,
    /// An error is waiting to be yielded once the buffer is empty.
    Failed(Box<Error>),
}

impl fmt::Debug for ProfileStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Start => "start".to_owned(),
            State::Fetching { page, .. } => format!("fetching page {page}"),
            State::Finished => "finished".to_owned(),
            State::Failed(_) => "failed".to_owned(),
        };
        f.debug_struct("ProfileStream")
            .field("session_id", &self.session_id)
            .field("page_size", &self.page_size)
            .field("state", &state)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl Drop for ProfileStream {
    fn drop(&mut self) {
        if let State::Fetching { task, .. } = &self.state {
            task.abort();
        }
    }
}

impl ProfileStream {
    fn fetch(&self, page: u64) -> State {
        let client = self.client.clone();
        let session_id = self.session_id.clone();
        let page_size = self.page_size;
        let Ok(page_number) = u32::try_from(page) else {
            return State::Failed(Box::new(Error::invalid_argument(
                "page",
                format!("page {page} is beyond the range this client can request"),
            )));
        };
        let task =
            tokio::spawn(async move { client.profiles(&session_id, page_number, page_size).await });
        State::Fetching { page, task }
    }

    /// Takes a fetched page: buffers its new candidates and starts fetching the next one.
    fn accept(&mut self, requested: u64, response: Response<ProfilePage>) {
        let next = response.next_page_number();
        let (page, meta) = response.into_parts();
        let mut ids = HashSet::with_capacity(page.docs.len());
        for candidate in page.docs {
            let fresh = match &candidate.id {
                Some(id) => !self.seen.contains(id) && ids.insert(id.clone()),
                None => true,
            };
            if fresh {
                self.buffer.push_back(candidate);
            }
        }
        self.seen = ids;
        self.state = match next {
            None => State::Finished,
            Some(next) if next > requested => self.fetch(next),
            Some(next) => State::Failed(Box::new(Error::Decode(DecodeError::new(
                "GET",
                format!("/sourcing-session/{}/profiles", self.session_id),
                &meta,
                format!("nextPage {next} does not advance past page {requested}"),
                b"",
            )))),
        };
    }
}

impl Stream for ProfileStream {
    type Item = Result<Candidate, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let State::Start = this.state {
                this.state = this.fetch(1);
            }
            if let Some(candidate) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(candidate)));
            }
            match &mut this.state {
                State::Start => {}
                State::Finished => return Poll::Ready(None),
                State::Failed(_) => {
                    let State::Failed(error) = std::mem::replace(&mut this.state, State::Finished)
                    else {
                        unreachable!("matched just above")
                    };
                    return Poll::Ready(Some(Err(*error)));
                }
                State::Fetching { page, task } => {
                    let requested = *page;
                    let joined = match Pin::new(task).poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(joined) => joined,
                    };
                    this.state = State::Finished;
                    match joined {
                        Ok(Ok(response)) => this.accept(requested, response),
                        Ok(Err(error)) => return Poll::Ready(Some(Err(error))),
                        Err(join_error) if join_error.is_panic() => {
                            std::panic::resume_unwind(join_error.into_panic())
                        }
                        // Cancelled: only when the runtime shuts down; nobody is reading then.
                        Err(_) => return Poll::Ready(None),
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Finished => (self.buffer.len(), Some(self.buffer.len())),
            _ => (self.buffer.len(), None),
        }
    }
}

impl Client {
    /// Every candidate of a session, as a [`Stream`]: walks Get Profiles for Session page by page
    /// (`page_size` candidates per request), fetching at most one page ahead, and ends after the
    /// first error. See [`ProfileStream`].
    ///
    /// Must be polled inside a Tokio runtime. Call it once the session is `done`.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let mut candidates = client.profiles_stream("6a0c77936e7a0151430c91fd", 50);
    /// while let Some(candidate) = candidates.next().await {
    ///     let candidate = candidate?;
    ///     println!("{:?} {:?}", candidate.final_score, candidate.name());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn profiles_stream(&self, session_id: &str, page_size: u32) -> ProfileStream {
        let mut stream = ProfileStream {
            client: self.clone(),
            session_id: session_id.to_owned(),
            page_size,
            state: State::Start,
            buffer: VecDeque::new(),
            seen: HashSet::new(),
        };
        // Argument errors surface as the stream's only item, before anything is sent.
        let invalid = super::check_id("session_id", session_id).err().or_else(|| {
            (page_size == 0).then(|| Error::invalid_argument("page_size", "must be at least 1"))
        });
        if let Some(error) = invalid {
            stream.state = State::Failed(Box::new(error));
        }
        stream
    }
}
