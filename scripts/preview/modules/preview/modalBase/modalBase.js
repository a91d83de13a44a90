import LightningModalBase from 'lightning/modalBase';

/** How many open dialogs hold each background element inert (a second dialog may open before the first is gone). */
const holds = new Map();

function hold(node) {
  // An element inert before any dialog opened is not ours to give back.
  if (!holds.has(node) && node.inert) return;
  holds.set(node, (holds.get(node) ?? 0) + 1);
  node.inert = true;
}

function release(node) {
  const count = holds.get(node);
  if (count === undefined) return;
  if (count > 1) return void holds.set(node, count - 1);
  holds.delete(node);
  node.inert = false;
}

/**
 * lightning/modal's frame from the base components (appended to the body, outside the app, which it marks
 * aria-hidden), with that background made inert too: aria-hidden alone hides the app from screen readers but leaves
 * its buttons and links focusable behind the dialog (axe's aria-hidden-focus). The original does everything else:
 * focus trap, Escape, focus given back to the opener.
 */
export default class PreviewModalBase extends LightningModalBase {
  inertNodes = [];

  renderBackgroundInert() {
    super.renderBackgroundInert();
    this.inertNodes = this.savedInertElements.map(({ node }) => node);
    this.inertNodes.forEach(hold);
  }

  renderBackgroundActive() {
    this.inertNodes.forEach(release);
    this.inertNodes = [];
    super.renderBackgroundActive();
  }

  closeModal() {
    // The background is live again before focus goes back to the opener: an inert button cannot take focus.
    this.renderBackgroundActive();
    super.closeModal();
  }
}
