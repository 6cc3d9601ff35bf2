// The login page: user and password, or an access token (both POST /api/v1/login); then back to the view that
// sent us here.
import { login, loginWithToken, session } from './api.js';

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const tokenForm = document.getElementById('token-form');
const tokenError = document.getElementById('token-error');

function next() {
  const target = new URLSearchParams(location.search).get('next');
  // Only a path on this server: never a redirect to another site. Without one, the page beside this one (under
  // whatever path the page is served: / on the master's server, /distarch/ under an application's).
  return target && target.startsWith('/') && !target.startsWith('//') ? target : './';
}

session().then(() => location.replace(next())).catch(() => {});

form.addEventListener('submit', async e => {
  e.preventDefault();
  error.textContent = '';
  const data = new FormData(form);
  try {
    await login(data.get('user'), data.get('password'));
    location.assign(next());
  } catch (err) {
    error.textContent = err.status === 401 ? 'Wrong user name or password.' : err.message;
    form.password.select();
  }
});

tokenForm.addEventListener('submit', async e => {
  e.preventDefault();
  tokenError.textContent = '';
  try {
    await loginWithToken(new FormData(tokenForm).get('token'));
    location.assign(next());
  } catch (err) {
    tokenError.textContent = err.status === 401 ? 'Wrong token, or one from an earlier run of the master.'
      : err.message;
    tokenForm.token.select();
  }
});
