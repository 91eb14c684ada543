// Progressive enhancement only: every page works without it.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('[data-focus-on-load]');
  if (summary) summary.focus();
  for (const button of document.querySelectorAll('[data-confirm]')) {
    button.addEventListener('click', (event) => {
      if (!window.confirm(button.getAttribute('data-confirm'))) event.preventDefault();
    });
  }
});

document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('[data-print]')) {
    button.addEventListener('click', () => window.print());
  }
});
