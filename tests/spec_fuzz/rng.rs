//! The fuzzer's randomness: a ChaCha8 stream from a `u64` seed, so a spec is reproduced from its seed on
//! any machine. Only `next_u64` of the stream is used (`rand_chacha` promises its values stay the same
//! across releases); every reduction to a range is done here, so no library's sampling change can alter
//! a reproduced spec.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// A deterministic random stream.
pub struct Rng(ChaCha8Rng);

/// The seed of item `index` of a run seeded with `seed`: SplitMix64 of both, so neighbouring items of a
/// run, and the same item of neighbouring runs, get unrelated streams.
pub fn item_seed(seed: u64, index: u64) -> u64 {
    let mut z = seed.wrapping_add(index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The stream of `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }

    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n` (`0` when `n` is 0), by multiply-shift: unbiased enough for a fuzzer.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.bits()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `words` (which must not be empty), as the `&str` it is.
    pub fn word<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }

    /// An independent stream, for a part whose randomness must not shift when another part changes.
    pub fn fork(&mut self) -> Rng {
        Rng::new(self.bits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_stream_every_time() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let first: Vec<u64> = (0..4).map(|_| a.bits()).collect();
        assert_eq!(first, (0..4).map(|_| b.bits()).collect::<Vec<_>>());
        assert_ne!(first, (0..4).map(|_| Rng::new(8).bits()).collect::<Vec<_>>());
        assert!((0..1000).all(|_| a.below(3) < 3));
        assert_ne!(item_seed(1, 0), item_seed(1, 1));
    }
}
