//! Registries of what rpyjit knows about a Python object (a code object it rewrote),
//! keyed by the object's id and holding it weakly: an entry lives as long as its object,
//! so code the program creates and drops at run time (`exec`, `namedtuple`, closures of
//! classes made in loops) leaves nothing behind. Ids are reused after an object dies, so a
//! lookup checks that the live object under the id is the one registered.
//!
//! An entry goes when its object dies (a weakref callback), so what it holds (a plain
//! code object, an analysis) goes with it, not at some later sweep: a program that makes
//! code in a loop keeps flat memory. A sweep when the map has doubled is the backstop for
//! deaths the callback could not handle (the map busy on the same thread).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use rustpython_vm::builtins::PyWeak;
use rustpython_vm::{AsObject, PyObject, PyObjectRef, PyRef, PyResult, VirtualMachine};

pub(crate) struct ByObject<V: 'static> {
    entries: Mutex<Entries<V>>,
    /// The weakref callback ([`ByObject::forget`]), made once: a builtin's definition is
    /// never freed.
    callback: OnceLock<PyObjectRef>,
}

struct Entries<V> {
    map: Option<HashMap<usize, (PyRef<PyWeak>, V)>>,
    /// The id of the object each weakref (by its own id) stands for.
    by_weak: Option<HashMap<usize, usize>>,
    /// Entries left after the last sweep: the next sweep comes when the map has doubled,
    /// so sweeping costs O(1) per insertion.
    after_sweep: usize,
}

impl<V: Clone + Send + Sync + 'static> ByObject<V> {
    pub(crate) const fn new() -> Self {
        ByObject {
            entries: Mutex::new(Entries {
                map: None,
                by_weak: None,
                after_sweep: 0,
            }),
            callback: OnceLock::new(),
        }
    }

    /// Registers `value` for `object` (replacing what was registered for it).
    pub(crate) fn insert(
        &'static self,
        vm: &VirtualMachine,
        object: &PyObject,
        value: V,
    ) -> PyResult<()> {
        let callback = self
            .callback
            .get_or_init(|| {
                vm.new_function("__rpyjit_forget__", move |weak: PyObjectRef| {
                    self.forget(&weak)
                })
                .into()
            })
            .clone();
        let weak = object.downgrade(Some(callback), vm)?;
        // Whatever leaves the map is dropped after the lock is released: dropping a code
        // object can run weakref callbacks, this map's own among them.
        let mut gone = Vec::new();
        {
            let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            let threshold = (2 * e.after_sweep).max(64);
            let Entries { map, by_weak, .. } = &mut *e;
            let map = map.get_or_insert_with(HashMap::new);
            let by_weak = by_weak.get_or_insert_with(HashMap::new);
            let sweep = map.len() >= threshold;
            if sweep {
                let dead: Vec<usize> = map
                    .iter()
                    .filter(|(_, (w, _))| w.upgrade().is_none())
                    .map(|(k, _)| *k)
                    .collect();
                for k in dead {
                    if let Some(entry) = map.remove(&k) {
                        by_weak.remove(&entry.0.as_object().get_id());
                        gone.push(entry);
                    }
                }
            }
            by_weak.insert(weak.as_object().get_id(), object.get_id());
            if let Some(old) = map.insert(object.get_id(), (weak, value)) {
                by_weak.remove(&old.0.as_object().get_id());
                gone.push(old);
            }
            if sweep {
                e.after_sweep = e.map.as_ref().map_or(0, HashMap::len);
            }
        }
        drop(gone);
        Ok(())
    }

    /// The weakref callback: `weak`'s object died, its entry goes. Skipped when the map
    /// is locked (a drop on this very thread while it is busy): the sweep catches it.
    fn forget(&self, weak: &PyObjectRef) {
        let entry = {
            let Ok(mut e) = self.entries.try_lock() else {
                return;
            };
            let Entries { map, by_weak, .. } = &mut *e;
            let (Some(map), Some(by_weak)) = (map.as_mut(), by_weak.as_mut()) else {
                return;
            };
            let Some(id) = by_weak.remove(&weak.get_id()) else {
                return;
            };
            // The id may have been registered again for a new object: only the entry
            // this weakref made goes.
            match map.get(&id) {
                Some((w, _)) if w.as_object().is(weak) => map.remove(&id),
                _ => None,
            }
        };
        drop(entry);
    }

    /// What is registered for `object`, if it is the object registered under its id.
    pub(crate) fn get(&self, object: &PyObject) -> Option<V> {
        let e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (weak, value) = e.map.as_ref()?.get(&object.get_id())?;
        let live = weak.upgrade()?;
        live.is(object).then(|| value.clone())
    }
}
