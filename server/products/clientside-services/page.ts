// The stand-in for Stytch's clientside-services page (https://js.stytch.com/clientside-services/
// index.html, from stytchauth/stytch-browser services/clientside-services): the hidden iframe
// @stytch/vanilla-js loads for phone numbers (and Google One Tap), answering the SDK's RPC.
//
// The protocol, as @stytch/core's IframeHostClient speaks it: once the iframe's `load` event has
// fired, the SDK posts `{ method, args: [request] }` to it with a MessagePort; the page runs the
// handler and answers once on that port, `{ success: true, payload }` or `{ success: false, error }`
// (the error's own fields plus name, message and stack, which the SDK turns back into an Error of
// that name). A message with no port, or naming no handler, gets no answer; no origin is checked
// (the answer goes only to the port the caller sent). The handlers are Stytch's, with the same
// library (awesome-phonenumber, Google's libphonenumber; Stytch's page pins 3.2.0, this one serves
// the current major, whose API is new but whose answers are the same but for newer metadata).
// Kept here as text so the build ships them in dist/ with no copy step. Plain ES2020.

/** Where the library is served, next to the page (a relative import from the script). */
export const LIBRARY_FILE = 'awesome-phonenumber.mjs'

export const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Stytch</title>
  </head>
  <body>
    <script src="index.js"></script>
  </body>
</html>
`

export const SCRIPT = `'use strict';
(() => {
  // Loaded on the first phone-number call, as Stytch's page loads it.
  let library;
  const phoneNumbers = () => (library ??= import('./${LIBRARY_FILE}'));

  const oneTapNotEmulated = async () => {
    throw new StytchAPIError({
      status_code: 501,
      error_type: 'not_emulated',
      error_message:
        "stytch-mock does not emulate Google One Tap: its UI is Google's script. See docs/coverage.md.",
      error_url: 'https://stytch.com/docs/api/errors/501',
    });
  };

  class StytchAPIError extends Error {
    constructor({ status_code, error_type, error_message, error_url, request_id }) {
      super(
        '[' + status_code + '] ' + error_type + '\\n' + error_message + '\\n' +
          'See ' + error_url + ' for more information.\\n' +
          (request_id ? 'request_id: ' + request_id + '\\n' : ''),
      );
      this.name = 'StytchAPIError';
      this.error_type = error_type;
      this.error_message = error_message;
      this.error_url = error_url;
      this.request_id = request_id;
      this.status_code = status_code;
    }
  }

  const handlers = new Map([
    // With a region: valid as parsed in that region; E.164 and national forms of the number as
    // typed into an as-you-type formatter of that region. Without: of the number parsed alone.
    // Either falls back to the input when the number has no such form.
    ['parsedPhoneNumber', async ({ phoneNumber, regionCode }) => {
      const { getAsYouType, parsePhoneNumber } = await phoneNumbers();
      const parsed = parsePhoneNumber(phoneNumber, { regionCode });
      if (regionCode) {
        const asYouType = getAsYouType(regionCode);
        asYouType.addChar(phoneNumber);
        const typed = asYouType.getPhoneNumber().number;
        return {
          isValid: parsed.valid,
          number: typed?.e164 ?? phoneNumber,
          national: typed?.national ?? phoneNumber,
        };
      }
      return {
        isValid: parsed.valid,
        number: parsed.number?.e164 ?? phoneNumber,
        national: parsed.number?.national ?? phoneNumber,
      };
    }],
    // A region's example mobile number, national form (the phone field's placeholder).
    ['getExamplePhoneNumber', async ({ regionCode }) => {
      const { getExample } = await phoneNumbers();
      return { phoneNumber: getExample(regionCode, 'mobile').number?.national };
    }],
    // Google One Tap is not emulated: its UI is Google's script and its credential Google's.
    ['oneTapStart', oneTapNotEmulated],
    ['oneTapSubmit', oneTapNotEmulated],
  ]);

  window.addEventListener('message', async (event) => {
    const request = event.data;
    const port = event.ports[0];
    const handler = request !== null && typeof request === 'object' && handlers.get(request.method);
    if (!handler || !port) return;
    try {
      port.postMessage({ success: true, payload: await handler(...request.args) });
    } catch (error) {
      port.postMessage({
        success: false,
        error: { ...error, name: error.name, message: error.message, stack: error.stack },
      });
    }
  });
})();
`
