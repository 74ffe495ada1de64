/** The dashboard's one query. Dropped when it closes (gcTime 0): events patch it only while it is open. */
export const dashboardKeys = {
  data: ['dashboard'] as const,
};
