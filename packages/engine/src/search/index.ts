export { Search, type SearchHit, type VisibleFilter } from "./service.ts";
export { SEARCH_KINDS, searchFindInput, type SearchFindInput, type SearchKind } from "./schemas.ts";
