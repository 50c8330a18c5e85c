-- A scheduler invocation of task kind `request` starts at most one request
-- (a relaunched invocation finds the request it already created).
CREATE UNIQUE INDEX "request_invocation_id_key" ON "request"("invocation_id");
