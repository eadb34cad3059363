/**
 * The chunk's own look, adopted into the element's shadow root when the
 * chunk loads (a constructable stylesheet, as the element's own: no inline
 * style, so the same CSP holds). It uses the element's custom properties
 * only, so theming (docs/widget.md) reaches it too.
 */
const CSS = `
.message.tombstone { background: transparent; border: 1px dashed var(--tiny-chat-border, var(--_border)); }
.message.tombstone .text { font-style: italic; color: var(--tiny-chat-muted, var(--_muted)); }
.actions.mod { margin-top: 2px; }
.actions.mod button { padding: 0 8px; font-size: 0.8em; }
button.danger { background: var(--tiny-chat-danger, var(--_danger)); border-color: var(--tiny-chat-danger, var(--_danger));
  color: var(--tiny-chat-bg, var(--_bg)); }
button.quiet.danger { background: transparent; color: var(--tiny-chat-danger, var(--_danger)); }
button[aria-pressed='true'] { background: var(--tiny-chat-accent, var(--_accent)); color: var(--tiny-chat-accent-fg, var(--_accent-fg)); }
.member-tools summary { cursor: pointer; width: fit-content; color: var(--tiny-chat-accent, var(--_accent)); }
.member-tools .actions { flex-direction: column; align-items: flex-start; }
.mod-room { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; width: 100%; }
.mod-room .slow, .member-tools .kick { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; }
.member-tools .kick span { flex-basis: 100%; }
.member-tools .kick button { padding: 1px 6px; }
.mod-room .slow button { padding: 1px 8px; }
.mod-room .banned { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 8px; }
.mod-room .banned ul { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 0; padding: 0; list-style: none; }
.mod-room .banned li { display: flex; align-items: baseline; gap: 4px; }
.mod-room .banned button { padding: 1px 8px; }
.mod-problem { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; padding-inline-end: 12px; }
.mod-problem .error { flex: 1; min-width: 0; }
dialog.confirm { max-width: min(26em, calc(100% - 32px)); box-sizing: border-box; padding: 16px;
  border: 1px solid var(--tiny-chat-border, var(--_border)); border-radius: var(--tiny-chat-radius, 8px);
  color: var(--tiny-chat-fg, var(--_fg)); background: var(--tiny-chat-bg, var(--_bg)); font: var(--tiny-chat-font, 15px/1.4 system-ui, sans-serif); }
dialog.confirm::backdrop { background: rgb(0 0 0 / 45%); }
dialog.confirm .question { margin: 0 0 8px; font-weight: 600; }
dialog.confirm .detail { margin: 0 0 12px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 8em; overflow: auto;
  color: var(--tiny-chat-muted, var(--_muted)); }
dialog.confirm .actions { justify-content: flex-end; }
`;

export const MODERATION_STYLES = new CSSStyleSheet();
MODERATION_STYLES.replaceSync(CSS);
