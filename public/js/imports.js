// The import job page: while a file is checked or committed, poll the job's JSON and show the progress;
// reload the page when the state changes. Without JavaScript the page refreshes itself (noscript).
document.addEventListener('DOMContentLoaded', () => {
  const box = document.querySelector('[data-import-poll]');
  if (!box) return;
  const url = box.getAttribute('data-import-poll');
  const state = box.getAttribute('data-import-state');
  const bar = box.querySelector('[data-import-progress]');
  const text = box.querySelector('[data-import-progress-text]');
  const template = text ? text.textContent : '';
  const poll = async () => {
    try {
      const res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (res.ok) {
        const job = await res.json();
        if (job.state !== state) {
          window.location.reload();
          return;
        }
        const { done, total } = job.progress;
        if (bar && total > 0) {
          bar.max = total;
          bar.value = done;
        }
        if (text && total > 0) text.textContent = template.replace(/\d+\D+\d+/, `${done} / ${total}`);
      }
    } catch {
      // A missed poll is retried.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
});
