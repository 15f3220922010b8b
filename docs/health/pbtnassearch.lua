-- Argo CD health check of a pbtnas.io PbtNasSearch (argocd-cm key
-- resource.customizations.health.pbtnas.io_PbtNasSearch). Argo CD gives a custom check only
-- Lua's base, table and os.time/os.date: no string library, so messages are built with `..`.
local hs = {}

-- The condition of this type if its status is True, else nil.
local function isTrue(type)
  if obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == type and c.status == "True" then
      return c
    end
  end
  return nil
end

-- What a condition says: its message, else its reason.
local function says(c)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return c.reason or c.type
end

if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end
-- A status computed for an older spec says nothing about the current one yet.
if obj.status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
  return hs
end

local phase = obj.status.phase
local paused = isTrue("Paused")
local storage = isTrue("StorageUnavailable")
local stuck = isTrue("Stuck")
local degraded = isTrue("Degraded")
local suspended = isTrue("Suspended")
local queued = isTrue("Queued")
if paused ~= nil then
  -- an edit the operator cannot run: nothing happens until the spec is fixed
  hs.status = "Degraded"
  hs.message = "Paused: " .. says(paused)
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = "Failed: " .. (obj.status.message or "the search failed")
elseif phase == "Complete" then
  hs.status = "Healthy"
  hs.message = "Complete"
  if obj.status.best ~= nil and obj.status.best.score ~= nil then
    hs.message = "Complete: best member " .. tostring(obj.status.best.member) .. " scored " .. tostring(obj.status.best.score)
  end
elseif storage ~= nil then
  hs.status = "Degraded"
  hs.message = "StorageUnavailable: " .. says(storage)
elseif stuck ~= nil then
  -- a pod waits for something only a person can fix; the message names the pods
  hs.status = "Degraded"
  hs.message = "Stuck: " .. says(stuck)
elseif degraded ~= nil then
  hs.status = "Degraded"
  hs.message = "Degraded: " .. says(degraded)
elseif suspended ~= nil then
  hs.status = "Suspended"
  hs.message = "Suspended at generation " .. tostring(obj.status.generation or 0) .. " of " .. tostring(obj.spec.generations)
elseif queued ~= nil then
  hs.status = "Progressing"
  hs.message = "Queued: " .. says(queued)
else
  hs.status = "Progressing"
  hs.message = "Generation " .. tostring(obj.status.generation or 0) .. " of " .. tostring(obj.spec.generations)
end
return hs
