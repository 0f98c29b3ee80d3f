//! Runs the reader's future to completion on the calling thread: the CLI's, the tests' and the
//! benchmarks' way in. With a source that never waits the future is ready at its first poll; a
//! source that does wait wakes this thread when its bytes have come.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` until it is ready, parking the thread while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_future_that_waits_is_woken_by_another_thread() {
        let (tx, rx) = std::sync::mpsc::channel::<Waker>();
        let waker_thread = std::thread::spawn(move || {
            if let Ok(waker) = rx.recv_timeout(Duration::from_secs(5)) {
                std::thread::sleep(Duration::from_millis(20));
                waker.wake();
            }
        });
        let mut polls = 0;
        let done = block_on(std::future::poll_fn(|cx| {
            polls += 1;
            if polls == 1 {
                let _ = tx.send(cx.waker().clone());
                return Poll::Pending;
            }
            Poll::Ready(polls)
        }));
        assert!(done >= 2, "ready only after the wake");
        assert!(waker_thread.join().is_ok());
    }
}
