// marrow serve: live reload. Added to pages by the dev server only, never
// written into `marrow build` output.
(() => {
  'use strict';
  const key = 'marrow-scroll:' + location.pathname;

  // Put the reader back where they were before the reload.
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const restore = () => window.scrollTo(0, Number(saved));
    if (document.readyState === 'complete') restore();
    else window.addEventListener('load', restore, { once: true });
  }

  const reload = () => {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  };

  const showsThisPage = (paths) => {
    const here = decodeURI(location.pathname).replace(/index\.html$/, '');
    return paths.includes('*') || paths.includes(here);
  };

  const overlayFor = (text) => {
    const outer = document.createElement('div');
    outer.id = 'marrow-overlay';
    outer.setAttribute('role', 'alert');
    const box = document.createElement('div');
    box.className = 'marrow-overlay-box';
    const title = document.createElement('p');
    title.className = 'marrow-overlay-title';
    title.textContent = 'marrow: the latest change has errors. You are seeing the last good build.';
    const pre = document.createElement('pre');
    pre.textContent = text;
    const close = document.createElement('button');
    close.type = 'button';
    close.dataset.marrowClose = '';
    close.textContent = 'Close';
    box.append(title, pre, close);
    outer.append(box);
    return outer;
  };

  const showErrors = (text) => {
    const old = document.getElementById('marrow-overlay');
    if (old) old.remove();
    if (text) document.body.append(overlayFor(text));
  };

  // The overlay can be dismissed with its button or Escape.
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('[data-marrow-close]')) showErrors('');
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.getElementById('marrow-overlay')) showErrors('');
  });

  const events = new EventSource('/__marrow/events');
  // Marks the page while the reload channel is open (tests wait on it).
  events.addEventListener('open', () => { document.documentElement.dataset.marrowLive = 'connected'; });
  events.addEventListener('error', () => { delete document.documentElement.dataset.marrowLive; });
  events.addEventListener('reload', (e) => {
    if (showsThisPage(JSON.parse(e.data).paths)) reload();
  });
  events.addEventListener('css', () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set('marrow', String(Date.now()));
      link.href = url.href;
    }
  });
  events.addEventListener('errors', (e) => {
    const text = JSON.parse(e.data).text;
    const current = document.querySelector('#marrow-overlay pre');
    if ((current ? current.textContent : '') !== text) showErrors(text);
  });
})();
