//! Build time only (included by `build.rs`): turns a compiled pattern into a minimal DFA over
//! the ten digits (subset construction, then Moore partition refinement).
//!
//! Captures and priorities do not matter for "does the whole number match" or "does a prefix
//! match", which is all the DFAs answer; patterns that need captures keep their program.

use super::pattern::{Inst, Program};
use std::collections::{BTreeMap, BTreeSet};

/// A DFA: state 0 is the start; `next[s][d]` is `None` for the dead state.
pub(crate) struct Dfa {
    /// Transitions per state and digit.
    pub next: Vec<[Option<u16>; 10]>,
    /// Whether each state accepts.
    pub accept: Vec<bool>,
}

fn closure(insts: &[Inst], pc: usize, set: &mut BTreeSet<usize>) {
    if !set.insert(pc) {
        return;
    }
    match insts[pc] {
        Inst::Split(a, b) => {
            closure(insts, a as usize, set);
            closure(insts, b as usize, set);
        }
        Inst::Jmp(a) => closure(insts, a as usize, set),
        Inst::Save(_) => closure(insts, pc + 1, set),
        Inst::End => panic!("`$` in a pattern compiled to a DFA"),
        Inst::Class(_) | Inst::Match => {}
    }
}

fn kernel(insts: &[Inst], set: BTreeSet<usize>) -> Vec<usize> {
    set.into_iter()
        .filter(|&pc| matches!(insts[pc], Inst::Class(_) | Inst::Match))
        .collect()
}

/// Builds the minimal DFA of `prog`.
pub(crate) fn build(prog: &Program) -> Dfa {
    let insts = &prog.insts;
    let mut start = BTreeSet::new();
    closure(insts, 0, &mut start);
    let mut ids: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
    let mut sets = vec![kernel(insts, start)];
    ids.insert(sets[0].clone(), 0);
    let mut next: Vec<[Option<usize>; 10]> = Vec::new();
    let mut i = 0;
    while i < sets.len() {
        let mut row = [None; 10];
        for (d, slot) in row.iter_mut().enumerate() {
            let mut to = BTreeSet::new();
            for &pc in &sets[i] {
                if let Inst::Class(m) = insts[pc] {
                    if m & (1 << d) != 0 {
                        closure(insts, pc + 1, &mut to);
                    }
                }
            }
            let k = kernel(insts, to);
            if k.is_empty() {
                continue;
            }
            let id = *ids.entry(k.clone()).or_insert_with(|| {
                sets.push(k);
                sets.len() - 1
            });
            *slot = Some(id);
        }
        next.push(row);
        i += 1;
    }
    let accept: Vec<bool> = sets
        .iter()
        .map(|s| s.iter().any(|&pc| insts[pc] == Inst::Match))
        .collect();
    minimize(&next, &accept)
}

fn minimize(next: &[[Option<usize>; 10]], accept: &[bool]) -> Dfa {
    let n = next.len();
    let mut class: Vec<usize> = accept.iter().map(|&a| usize::from(a)).collect();
    loop {
        let mut sig_ids: BTreeMap<(usize, [Option<usize>; 10]), usize> = BTreeMap::new();
        let mut new_class = vec![0; n];
        // Keep the start state's class first so state 0 stays the start.
        for s in 0..n {
            let sig = (class[s], next[s].map(|t| t.map(|t| class[t])));
            let len = sig_ids.len();
            new_class[s] = *sig_ids.entry(sig).or_insert(len);
        }
        let stable = sig_ids.len() == class.iter().collect::<BTreeSet<_>>().len();
        class = new_class;
        if stable {
            break;
        }
    }
    let count = class.iter().max().map_or(0, |m| m + 1);
    let mut out_next = vec![[None; 10]; count];
    let mut out_accept = vec![false; count];
    for s in 0..n {
        out_accept[class[s]] = accept[s];
        out_next[class[s]] = next[s].map(|t| t.map(|t| class[t] as u16));
    }
    Dfa {
        next: out_next,
        accept: out_accept,
    }
}
