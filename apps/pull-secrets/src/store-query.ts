export interface StoreQuery {
  namespace?: string;
  labelSelector?: string;
}
