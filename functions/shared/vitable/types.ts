/** Wire types of the Vitable Connect groups API (see shared/reference/vitable-connect-api.md). */

export interface Group {
  id: string;
  organization_id?: string;
  name: string;
  external_reference_id: string;
  created_at: string | null;
  updated_at: string | null;
}

/** Body of PATCH /v1/groups/{group_id}: omitted fields are left unchanged. */
export interface GroupUpdateParams {
  name?: string;
  external_reference_id?: string;
}

export interface GroupListParams {
  limit?: number;
  page?: number;
  /** Not confirmed by the API docs: results must still be filtered on our side. */
  external_reference_id?: string;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  total_pages: number;
}

export interface GroupPage {
  data: Group[];
  pagination: Pagination;
}
