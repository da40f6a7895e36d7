//! Translation-block cache: translated blocks keyed by guest pc, shared by all guest threads.
//!
//! Blocks are optimised ([`crate::ir::opt`]) once, when they enter the cache.
//! Lookups take a read lock; translation happens outside the lock and the first insert wins,
//! so two threads racing to translate the same pc both end up running the same block.

use crate::guest::Guest;
use crate::ir::Block;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// Cache of IR blocks by guest pc.
#[derive(Default)]
pub struct BlockCache {
    map: RwLock<HashMap<u64, Arc<Block>>>,
    /// Number of blocks translated since start (for `--stats`).
    pub translated: AtomicU64,
}

impl BlockCache {
    pub fn new() -> BlockCache {
        BlockCache::default()
    }

    /// The block at `pc`, translating it on a miss.
    pub fn get_or_translate(&self, pc: u64, guest: &dyn Guest) -> Arc<Block> {
        if let Some(b) = self.map.read().unwrap_or_else(|e| e.into_inner()).get(&pc) {
            return b.clone();
        }
        let mut block = guest.translate(pc);
        crate::ir::opt::optimize(&mut block);
        let block = Arc::new(block);
        self.translated.fetch_add(1, Ordering::Relaxed);
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        map.entry(pc).or_insert(block).clone()
    }

    /// Drop every block whose guest bytes overlap `[addr, addr + len)`.
    pub fn invalidate(&self, addr: u64, len: u64) {
        let end = addr.saturating_add(len);
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, b| b.end <= addr || b.pc >= end.max(addr + 1));
    }

    /// Drop everything.
    pub fn clear(&self) {
        self.map.write().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn len(&self) -> usize {
        self.map.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
