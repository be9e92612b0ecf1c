/** Seconds per round. */
export const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
/** The single-GET rounds' arrival rates. */
export const GET_RATES = (process.env.BENCH_LOAD_RATES ?? '500,1000,2000,4000').split(',').map(Number);
/** The imagery journey round's arrival rate. */
export const JOURNEY_RATE = Number(process.env.BENCH_LOAD_JOURNEYS ?? 400);
/** What the generator must sustain without drops or errors, requests/s. */
export const TARGET_REQUESTS_PER_SECOND = 1000;
