//! Registries of what rpyjit knows about a Python object (a code object it rewrote),
//! keyed by the object's id and holding it weakly: an entry lives as long as its object,
//! so code the program creates and drops at run time (`exec`, `namedtuple`, closures of
//! classes made in loops) leaves nothing behind. Ids are reused after an object dies, so a
//! lookup checks that the live object under the id is the one registered.

use std::collections::HashMap;
use std::sync::Mutex;

use rustpython_vm::builtins::PyWeak;
use rustpython_vm::{AsObject, PyObject, PyRef, PyResult, VirtualMachine};

pub(crate) struct ByObject<V> {
    entries: Mutex<Entries<V>>,
}

struct Entries<V> {
    map: Option<HashMap<usize, (PyRef<PyWeak>, V)>>,
    /// Entries left after the last sweep: the next sweep comes when the map has doubled,
    /// so sweeping costs O(1) per insertion.
    after_sweep: usize,
}

impl<V: Clone> ByObject<V> {
    pub(crate) const fn new() -> Self {
        ByObject {
            entries: Mutex::new(Entries {
                map: None,
                after_sweep: 0,
            }),
        }
    }

    /// Registers `value` for `object` (replacing what was registered for it).
    pub(crate) fn insert(&self, vm: &VirtualMachine, object: &PyObject, value: V) -> PyResult<()> {
        let weak = object.downgrade(None, vm)?;
        let mut swept = Vec::new();
        {
            let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            let threshold = (2 * e.after_sweep).max(64);
            let map = e.map.get_or_insert_with(HashMap::new);
            if map.len() >= threshold {
                let dead: Vec<usize> = map
                    .iter()
                    .filter(|(_, (w, _))| w.upgrade().is_none())
                    .map(|(k, _)| *k)
                    .collect();
                swept.extend(dead.into_iter().filter_map(|k| map.remove(&k)));
                e.after_sweep = e.map.as_ref().map_or(0, HashMap::len);
            }
            e.map
                .get_or_insert_with(HashMap::new)
                .insert(object.get_id(), (weak, value));
        }
        // What the dead entries held is dropped outside the lock.
        drop(swept);
        Ok(())
    }

    /// What is registered for `object`, if it is the object registered under its id.
    pub(crate) fn get(&self, object: &PyObject) -> Option<V> {
        let e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (weak, value) = e.map.as_ref()?.get(&object.get_id())?;
        let live = weak.upgrade()?;
        live.is(object).then(|| value.clone())
    }
}
