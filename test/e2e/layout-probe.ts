/**
 * Measurements run inside the page (passed to `evaluate`, so each function is
 * self-contained): does anything in the widget's shadow root stick out of the
 * widget's box, get clipped, or break a word in two?
 */

/** Every box in the shadow root that leaves the widget's box, or clips its own content. */
export function overflowProblems(el: Element): string[] {
  const root = el.shadowRoot!;
  const host = el.getBoundingClientRect();
  const problems: string[] = [];
  const label = (n: Element): string =>
    `${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${n.className && typeof n.className === 'string' ? `.${n.className.trim().split(/\s+/).join('.')}` : ''}`;
  const scrollers = [...root.querySelectorAll('.messages, .members')];
  for (const node of root.querySelectorAll('*')) {
    if (!node.checkVisibility()) continue;
    // Visually hidden on purpose (text for screen readers): clipped to nothing.
    let clipped = false;
    for (let e: Element | null = node; e && !clipped; e = e.parentElement)
      clipped = getComputedStyle(e).clipPath === 'inset(50%)';
    if (clipped) continue;
    const style = getComputedStyle(node);
    const r = node.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < host.left - 0.5 || r.right > host.right + 0.5)
      problems.push(`${label(node)} [${r.left}, ${r.right}] leaves the widget [${host.left}, ${host.right}]`);
    const inScroller = scrollers.some((s) => s !== node && s.contains(node));
    if (!inScroller && (r.top < host.top - 0.5 || r.bottom > host.bottom + 0.5))
      problems.push(
        `${label(node)} [${r.top}, ${r.bottom}] leaves the widget vertically [${host.top}, ${host.bottom}]`,
      );
    // Content wider than its box and cut off (the share link's start is shortened on purpose, with an ellipsis).
    const clips = style.overflowX !== 'visible' && !['TEXTAREA', 'INPUT'].includes(node.tagName);
    if (clips && !node.classList.contains('base-url') && node.scrollWidth > node.clientWidth + 1)
      problems.push(`${label(node)} clips its content (${node.scrollWidth} > ${node.clientWidth})`);
  }
  return problems;
}

/** Times cut off by their message, and words of message text laid out over two lines. */
export function textProblems(el: Element): string[] {
  const root = el.shadowRoot!;
  const problems: string[] = [];
  for (const time of root.querySelectorAll('li.message time')) {
    const t = time.getBoundingClientRect();
    const box = time.closest('li')!.getBoundingClientRect();
    if (getComputedStyle(time.closest('.meta')!).position === 'absolute') continue;
    if (t.width === 0) continue;
    if (t.left < box.left - 0.5 || t.right > box.right + 0.5) problems.push(`time "${time.textContent}" is clipped`);
  }
  for (const text of root.querySelectorAll('li.message .text')) {
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('a')) continue;
      for (const match of node.textContent!.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) problems.push(`the word "${match[0]}" is split over ${lines.size} lines`);
      }
    }
  }
  return problems;
}

/** The room id in the share link: its text, and whether all of it is on screen inside the widget. */
export function shareRoomId(el: Element): { text: string; visible: boolean } {
  const root = el.shadowRoot!;
  const id = root.querySelector<HTMLElement>('#share .room-id');
  if (!id) return { text: '', visible: false };
  const r = id.getBoundingClientRect();
  const link = id.closest('a')!.getBoundingClientRect();
  const host = el.getBoundingClientRect();
  const visible =
    r.width > 0 &&
    id.scrollWidth <= id.clientWidth + 1 &&
    r.left >= link.left - 0.5 &&
    r.right <= link.right + 0.5 &&
    r.left >= host.left &&
    r.right <= host.right;
  return { text: id.textContent ?? '', visible };
}

/** Whether the share row is one line: the "Copy link" button beside the link, not wrapped under it. */
export function shareOnOneLine(el: Element): boolean {
  const root = el.shadowRoot!;
  const link = root.querySelector('#share')!.getBoundingClientRect();
  const copy = root.querySelector('.share button')!.getBoundingClientRect();
  return copy.left >= link.right && copy.top < link.bottom && copy.bottom > link.top;
}
