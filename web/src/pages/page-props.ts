import type { SessionUser } from '../api/auth.js';
import type { NavItem } from '../nav.js';

/** What every routed page is given: who is logged in, and its own navigation entry. */
export interface PageProps {
  readonly user: SessionUser;
  readonly item: NavItem;
}
