// The GOV.UK timeout warning: a small modal dialog shortly before an idle session ends, with
// "Stay signed in" (which starts the idle clock again) and "Sign out". Progressive enhancement
// only: without JavaScript the report pages say how long answers are kept instead.
//
// The server says how many seconds the session has left (data-seconds-left on this script), so the
// warning does not depend on the computer's clock being right, only on it ticking.

const script = document.querySelector('script[data-session-timeout]');
if (script && typeof HTMLDialogElement === 'function') start(script.dataset);

function start(data) {
  const WARN_BEFORE = Math.min(120, Math.floor((Number(data.idleMinutes) * 60) / 2));
  const csrf = data.csrf;
  let endsAt = Date.now() + Number(data.secondsLeft) * 1000;
  let warnTimer;
  let endTimer;
  let tick;
  let lastSpoken = '';

  const dialog = document.createElement('dialog');
  dialog.className = 'app-timeout-dialog';
  dialog.id = 'session-timeout';
  dialog.setAttribute('aria-labelledby', 'session-timeout-heading');
  dialog.setAttribute('aria-describedby', 'session-timeout-text');
  dialog.innerHTML =
    '<h2 class="govuk-heading-m" id="session-timeout-heading" tabindex="-1">You are about to be signed out</h2>' +
    '<p class="govuk-body" id="session-timeout-text">For your security, we will sign you out in <strong class="app-timeout-dialog__countdown" aria-hidden="true"></strong><span class="govuk-visually-hidden app-timeout-dialog__spoken"></span>.' +
    (data.report === 'yes' ? ' Your report is saved up to the last time you pressed a button, and we keep it for ' + data.keptDays + ' days.' : '') +
    '</p>' +
    '<p class="govuk-visually-hidden" aria-live="polite"></p>' +
    '<div class="govuk-button-group">' +
    '<button type="button" class="govuk-button govuk-!-margin-bottom-0" data-timeout-stay>Stay signed in</button>' +
    '<a class="govuk-link" href="/sign-in" data-timeout-sign-out>Sign out</a>' +
    '</div>';
  document.body.appendChild(dialog);
  const countdown = dialog.querySelector('.app-timeout-dialog__countdown');
  const spoken = dialog.querySelector('.app-timeout-dialog__spoken');
  const live = dialog.querySelector('[aria-live]');

  dialog.querySelector('[data-timeout-stay]').addEventListener('click', stay);
  // Escape closes the dialog: that is taken as "stay signed in", as the pattern recommends.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    stay();
  });
  dialog.querySelector('[data-timeout-sign-out]').addEventListener('click', (event) => {
    const signOut = document.querySelector('form[action="/sign-out"]');
    if (!signOut) return;
    event.preventDefault();
    signOut.submit();
  });

  schedule();

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    const left = endsAt - Date.now();
    warnTimer = setTimeout(warn, Math.max(0, left - WARN_BEFORE * 1000));
    // A moment after the server's end, so the session has certainly lapsed: the page then asks to sign in again.
    endTimer = setTimeout(signedOut, left + 2000);
  }

  function warn() {
    update();
    if (!dialog.open) dialog.showModal();
    dialog.querySelector('#session-timeout-heading').focus();
    clearInterval(tick);
    tick = setInterval(update, 1000);
  }

  function update() {
    const seconds = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    const words = inWords(seconds);
    countdown.textContent = words;
    // Screen readers hear the time when the dialog opens, then each minute and at 20 seconds, not every tick.
    const milestone = seconds > 60 ? inWords(Math.ceil(seconds / 60) * 60) : seconds > 20 ? '1 minute' : '20 seconds';
    spoken.textContent = milestone;
    if (milestone !== lastSpoken && dialog.open) live.textContent = 'We will sign you out in ' + milestone + '.';
    lastSpoken = milestone;
  }

  async function stay() {
    clearInterval(tick);
    try {
      const res = await fetch('/session/keep-alive', { method: 'POST', headers: { 'x-csrf-token': csrf }, credentials: 'same-origin', redirect: 'manual' });
      const json = res.ok && (res.headers.get('content-type') || '').includes('json') ? await res.json() : null;
      if (!json) return signedOut();
      endsAt = Date.now() + json.secondsLeft * 1000;
      dialog.close();
      lastSpoken = '';
      schedule();
    } catch {
      // The service could not be reached: keep the warning up so the person can try again.
      tick = setInterval(update, 1000);
    }
  }

  function signedOut() {
    clearInterval(tick);
    window.location.assign(data.return || window.location.pathname + window.location.search);
  }
}

function inWords(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes + (minutes === 1 ? ' minute' : ' minutes');
  }
  return seconds + (seconds === 1 ? ' second' : ' seconds');
}
