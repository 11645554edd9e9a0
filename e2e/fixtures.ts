/** Messages the global set-up writes to the demo reservation-holder agent (more than one page of 50). */
export const RESERVATION_HOLDER_MESSAGES = 55;
