/** The sharing context's public entry: its compose function and public types. */
export { composeSharing, type SharingServices } from './compose.js';
export { RECORD_TYPES, isRecordType, type RecordType, type NewGrant, type GrantView } from './grants.js';
export type { CareTeamAssignment } from './care-teams.js';
export { BREAK_GLASS_TTL_MS, MAX_REASON_LENGTH, MIN_REASON_LENGTH } from './break-glass.js';
