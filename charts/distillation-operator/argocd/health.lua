-- Argo CD health check for distillation.dev/DistillationChain.
-- Install it under the argocd-cm key resource.customizations.health.distillation.dev_DistillationChain
-- (argocd-cm-patch.yaml next to this file carries exactly this text; a test keeps the two equal).
--
-- Order matters:
--   1. status missing or observedGeneration behind metadata.generation -> Progressing: the status
--      still describes an older spec, so its phase says nothing about the current one.
--   2. phase Succeeded -> Healthy; Failed -> Degraded; Invalid -> Degraded (the Valid condition's message).
--   3. spec.suspend true (or phase Suspended) -> Suspended.
--   4. anything else -> Progressing with "stage k/n" (status.progress) and the active stage(s).
-- Written for Lua 5.1 (Argo CD's interpreter): no goto, no integer division.
local hs = {}

local function condition(status, ctype)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == ctype then
      return c
    end
  end
  return nil
end

local function nonEmpty(s)
  return s ~= nil and s ~= ""
end

-- "k/n": status.progress when the operator filled it, else counted from status.stages.
local function progress(status)
  if nonEmpty(status.progress) then
    return status.progress
  end
  local done, total = 0, 0
  if status.stages ~= nil then
    for _, s in ipairs(status.stages) do
      total = total + 1
      if s.phase == "Succeeded" then
        done = done + 1
      end
    end
  end
  return done .. "/" .. total
end

-- The active stages (status.activeStages, else the Pending/Running entries of status.stages) and
-- the first message one of them carries (for example the scheduler's reason for a Pending pod).
local function active(status)
  local names, message = {}, nil
  if status.stages ~= nil then
    for _, s in ipairs(status.stages) do
      if s.phase == "Pending" or s.phase == "Running" then
        table.insert(names, s.name)
        if message == nil and nonEmpty(s.message) then
          message = s.message
        end
      end
    end
  end
  if nonEmpty(status.activeStages) then
    return status.activeStages, message
  end
  return table.concat(names, ","), message
end

local generation = obj.metadata ~= nil and obj.metadata.generation or nil
local status = obj.status

if status == nil or status.observedGeneration == nil
    or (generation ~= nil and status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to observe generation " .. tostring(generation or 1)
  return hs
end

if status.phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = nonEmpty(status.summary) and status.summary or ("all stages succeeded (" .. progress(status) .. ")")
  return hs
end

if status.phase == "Failed" then
  local failed = condition(status, "Failed")
  hs.status = "Degraded"
  if failed ~= nil and nonEmpty(failed.message) then
    hs.message = failed.message
  else
    hs.message = "chain failed (" .. progress(status) .. " stages succeeded)"
  end
  return hs
end

if status.phase == "Invalid" then
  local valid = condition(status, "Valid")
  hs.status = "Degraded"
  if valid ~= nil and nonEmpty(valid.message) then
    hs.message = valid.message
  else
    hs.message = "the chain's spec is invalid"
  end
  return hs
end

if (obj.spec ~= nil and obj.spec.suspend == true) or status.phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = "suspended at stage " .. progress(status)
  return hs
end

local names, message = active(status)
hs.status = "Progressing"
hs.message = "stage " .. progress(status)
if nonEmpty(names) then
  hs.message = hs.message .. ", active: " .. names
end
if message ~= nil then
  hs.message = hs.message .. " (" .. message .. ")"
end
return hs
