import type { PageProps } from '../page-props.js';
import { SecuritySection } from '../security/SecuritySection.js';

/**
 * A staff member's own account (every staff role): for now its Security section, their second
 * factors. Passwords and keys are theirs too, but are set at enrolment (docs/architecture.md).
 */
export function StaffAccountPage(props: PageProps) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">{props.item.summary}</p>
      <SecuritySection />
    </section>
  );
}
