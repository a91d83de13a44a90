/** A closed feature gate: for base-component features that need native shadow (the preview runs synthetic shadow, as Lightning Experience does). */
export default { isOpen: () => false };
