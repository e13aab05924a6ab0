// A stand-in for Stripe.js v3, for the browser tests only (CI cannot reach js.stripe.com).
// ConsolePaymentBrowserTest serves it in place of https://js.stripe.com/v3/ and fills in the
// address of FakeStripe, the Stripe-compatible test server. It implements only what the console
// uses: Stripe(publishableKey).elements().create('card') with mount(), on('change') and focus(),
// and confirmCardPayment(clientSecret, {payment_method: {card}}). Where real Stripe.js puts the
// card field in a frame of its own and turns the card into a payment method, this one takes the
// number in a plain field and maps Stripe's test cards to Stripe's test payment methods:
// 4242 4242 4242 4242 pays (pm_card_visa), 4000 0000 0000 0002 is declined
// (pm_card_chargeDeclined). It confirms the intent as Stripe.js does, with the publishable key and
// the client secret, cross-origin: POST {api}/v1/payment_intents/{id}/confirm.
(function () {
  const API = '__API_BASE__';
  const TEST_CARDS = { '4242424242424242': 'pm_card_visa', '4000000000000002': 'pm_card_chargeDeclined' };

  function cardElement() {
    const input = document.createElement('input');
    input.setAttribute('aria-label', 'Card number');
    input.setAttribute('autocomplete', 'cc-number');
    input.setAttribute('inputmode', 'numeric');
    input.name = 'stand-in-card-number';
    const handlers = [];
    input.addEventListener('input', () => {
      const digits = input.value.replace(/\s/g, '');
      const error = /[^0-9]/.test(digits) ? { type: 'validation_error', code: 'invalid_number', message: 'Your card number is invalid.' } : undefined;
      handlers.forEach((f) => f({ elementType: 'card', empty: digits === '', complete: digits.length === 16 && !error, error }));
    });
    return {
      mount(target) { (typeof target === 'string' ? document.querySelector(target) : target).append(input); },
      on(event, f) { if (event === 'change') handlers.push(f); },
      focus() { input.focus(); },
      standInNumber() { return input.value.replace(/\s/g, ''); },
    };
  }

  window.Stripe = function Stripe(key) {
    if (!/^pk_/.test(String(key))) throw new Error('Stripe(): a publishable key (pk_...) is required');
    return {
      elements() {
        return {
          create(type) {
            if (type !== 'card') throw new Error('The stand-in has the card Element only.');
            return cardElement();
          },
        };
      },
      async confirmCardPayment(clientSecret, data) {
        const card = data && data.payment_method && data.payment_method.card;
        const method = card && TEST_CARDS[card.standInNumber()];
        if (!method) return { error: { type: 'validation_error', code: 'incorrect_number', message: 'Your card number is incorrect.' } };
        const id = String(clientSecret).split('_secret_')[0];
        let res;
        try {
          res = await fetch(`${API}/v1/payment_intents/${encodeURIComponent(id)}/confirm`, {
            method: 'POST',
            body: new URLSearchParams({ key, client_secret: clientSecret, payment_method: method }),
          });
        } catch (e) {
          return { error: { type: 'api_connection_error', message: 'We could not reach Stripe.' } };
        }
        const json = await res.json();
        return res.ok ? { paymentIntent: json } : { error: json.error };
      },
    };
  };
}());
