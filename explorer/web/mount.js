// mount.js: one live instance per Streamlit element, kept across reruns (components v2).
//
// Streamlit calls a component's default export again on every rerun of the script part that mounts
// it (and on a theme switch), with the same parentElement and a new data object, after calling the
// cleanup the previous call returned. A live loop must not restart then: the instance for an element
// is made once, by create(parentElement, forget), and is then only given the new data and the
// current setStateValue. forget() drops the instance (the next call for that element makes a new
// one). An instance with a release() method gets it as the cleanup; without one, none is returned.
//
// Pure and DOM-free (tested under node: tests/web/mount.test.mjs).

export function liveMount(create) {
  const instances = new WeakMap();
  return function mount({ data, parentElement, setStateValue }) {
    let live = instances.get(parentElement);
    if (!live) {
      live = create(parentElement, () => instances.delete(parentElement));
      instances.set(parentElement, live);
    }
    live.setStateValue = setStateValue;
    live.update(data);
    return typeof live.release === 'function' ? () => live.release() : undefined;
  };
}
