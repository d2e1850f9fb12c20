// A press under way holds back what a blur would render (issue 18: the first click on "Sign up").

/**
 * Holds back what a blur would render while a press is under way, so a message appearing above
 * the button being pressed never moves it between press and release (the click would land on
 * nothing). A press lasts from pointerdown to its click (touch taps send their mouse events and
 * the focus change after pointerup), or to a cancel; work queued meanwhile runs right after.
 */
export const pointer = {
  down: false,
  queue: [],
  timer: 0,
  later(work) {
    if (this.down) this.queue.push(work);
    else work();
  },
  flush() {
    clearTimeout(this.timer);
    this.down = false;
    const work = this.queue.splice(0);
    for (const w of work) w();
  },
};
addEventListener("pointerdown", () => {
  clearTimeout(pointer.timer);
  pointer.down = true;
}, true);
// After the click's own handlers (a submit, a suggestion) have run.
addEventListener("click", () => setTimeout(() => pointer.flush(), 0), true);
addEventListener("pointercancel", () => pointer.flush(), true);
// A press that ends without a click (dragged away): flush once a tap's mouse events had their chance.
addEventListener("pointerup", () => {
  clearTimeout(pointer.timer);
  pointer.timer = setTimeout(() => pointer.flush(), 600);
}, true);
