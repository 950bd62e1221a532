//! A small worker pool: maps a fallible function over items on a fixed number of threads.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Maps `f` over `items` on `jobs` threads (at least one), keeping the items' order. After the
/// first error no new item is started, and an error is returned.
pub(crate) fn try_map<I, O, E, F>(items: &[I], jobs: usize, f: F) -> Result<Vec<O>, E>
where
    I: Sync,
    O: Send,
    E: Send,
    F: Fn(&I) -> Result<O, E> + Sync,
{
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let worker = || -> Result<Vec<(usize, O)>, E> {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            match f(item) {
                Ok(output) => done.push((index, output)),
                Err(error) => {
                    failed.store(true, Ordering::Relaxed);
                    return Err(error);
                }
            }
        }
        Ok(done)
    };
    let threads = jobs.clamp(1, items.len().max(1));
    let per_worker: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(items.len());
    for done in per_worker {
        all.extend(done?);
    }
    all.sort_by_key(|(index, _)| *index);
    Ok(all.into_iter().map(|(_, output)| output).collect())
}

#[cfg(test)]
mod tests {
    use super::try_map;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn keeps_order_and_uses_at_most_jobs_threads() {
        let running = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let items: Vec<u32> = (0..40).collect();
        let doubled = try_map(&items, 3, |&x| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            running.fetch_sub(1, Ordering::SeqCst);
            Ok::<_, ()>(x * 2)
        })
        .unwrap();
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!((2..=3).contains(&peak.load(Ordering::SeqCst)));
    }

    #[test]
    fn stops_after_an_error() {
        let started = AtomicUsize::new(0);
        let items: Vec<u32> = (0..100).collect();
        let result = try_map(&items, 1, |&x| {
            started.fetch_add(1, Ordering::SeqCst);
            if x == 5 {
                Err(format!("item {x}"))
            } else {
                Ok(x)
            }
        });
        assert_eq!(result, Err("item 5".to_owned()));
        assert_eq!(started.load(Ordering::SeqCst), 6);
    }
}
