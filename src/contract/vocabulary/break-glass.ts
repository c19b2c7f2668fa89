/** Bounds of the reason a doctor gives when breaking the glass (characters). */
export const MIN_BREAK_GLASS_REASON = 10;
export const MAX_BREAK_GLASS_REASON = 1000;
