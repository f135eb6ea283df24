// copylink.js: the sidebar's "Copy link to this view" box, showing the browser's own address.
//
// Streamlit keeps the address in step with every URL-bound widget, also when only a fragment
// reruns; the server's copy of the settings is only rebuilt on a whole-page run. So the box reads
// window.location when it is shown and while it is open, and copies that. data.fallback (the link
// the server built) is shown where there is no usable address (tests, a file:// page).
//
// linkText is pure (tests/web/copylink.test.mjs); the default export is the Streamlit component.

export function linkText(href, fallback) {
  if (typeof href === 'string' && /^https?:\/\//.test(href)) return href;
  return typeof fallback === 'string' ? fallback : '';
}

async function copy(text, field) {
  try {
    await navigator.clipboard.writeText(text);   // needs a secure context (https or localhost)
    return true;
  } catch (e) {
    field.select();                              // plain http on a school network: the old way
    try { return document.execCommand('copy'); } catch (e2) { return false; }
  }
}

export default function mount({ data, parentElement }) {
  const root = document.createElement('div');
  root.className = 'copylink';
  const field = document.createElement('input');
  field.type = 'text';
  field.readOnly = true;
  field.setAttribute('aria-label', 'Link to this view');
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Copy';
  const status = document.createElement('span');
  status.className = 'copylink-status';
  status.setAttribute('role', 'status');
  root.append(field, button, status);
  const old = parentElement.querySelector('.copylink');   // a rerun: replace ours, keep Streamlit's style
  if (old) old.remove();
  parentElement.appendChild(root);

  const refresh = () => {
    const text = linkText(window.location.href, data && data.fallback);
    if (field.value !== text) field.value = text;
  };
  refresh();
  const timer = setInterval(refresh, 500);
  button.addEventListener('click', async () => {
    refresh();
    status.textContent = (await copy(field.value, field)) ? 'Copied' : 'Select the text and copy it';
  });
  field.addEventListener('focus', () => { refresh(); field.select(); });
  return () => clearInterval(timer);
}
