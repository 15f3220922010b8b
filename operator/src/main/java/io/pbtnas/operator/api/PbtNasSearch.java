package io.pbtnas.operator.api;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Volume;
import io.pbtnas.core.model.PopulationSplit;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.TrainerSpec;
import java.util.ArrayList;

/**
 * A PBT-NAS search: the spec is what the user writes (DESIGN.md), the status is the only state the
 * operator keeps. Rules that span fields, or compare with the previous object, live here as CEL so
 * the API server rejects a bad manifest before the operator ever sees it.
 */
@Group("pbtnas.io")
@Version("v1alpha1")
@Kind("PbtNasSearch")
@Plural("pbtnassearches")
@ShortNames({"pbs", "pbtnas"})
@ValidationRule(value = "self.metadata.name.size() <= 40",
        message = "metadata.name: at most 40 characters, so that pod names '<name>-m<member>-g<generation>-a<attempt>' stay valid; choose a shorter name")
@ValidationRule(value = "has(self.spec)", message = "spec: required; see `kubectl explain pbtnassearch.spec`")
@ValidationRule(value = "!has(self.spec) || (has(self.spec.storage) && (has(self.spec.storage.persistentVolumeClaim) ? 1 : 0) + (has(self.spec.storage.s3) ? 1 : 0) == 1)",
        message = "spec.storage: required on Kubernetes, exactly one of {persistentVolumeClaim: {claimName: <a ReadWriteMany claim in this namespace>}} and {s3: {bucket: <bucket>}}")
@ValidationRule(value = "!has(self.spec) || (has(self.spec.trainer) && has(self.spec.trainer.image) && self.spec.trainer.image.size() > 0)",
        message = "spec.trainer.image: required on Kubernetes: the trainer's container image, e.g. pbtnas/trainer:0.1.0")
// The smallest population of each strategy, from core's PopulationSplit (PopulationRuleTest checks it).
@ValidationRule(value = "!has(self.spec) || !has(self.spec.population) || self.spec.population >= "
        + "(has(self.spec.strategy) && self.spec.strategy == 'random' ? 1 : (has(self.spec.strategy) && self.spec.strategy == 'mutation' ? "
        + (PopulationSplit.MIN_PARENTS_MUTATION + 1) + " : " + (PopulationSplit.MIN_PARENTS_PBT_NAS + 1) + "))",
        message = "spec.population: too small for the strategy; pbt-nas needs at least 3 members (a parent pool of 2 and a replaced slot), mutation at least 2, random at least 1")
@ValidationRule(value = "!has(self.spec) || !has(self.spec.parallelism) || self.spec.parallelism >= 1",
        message = "spec.parallelism: must be at least 1 (omit it to run the whole population at once)")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.population) ? self.spec.population : -1) == (has(oldSelf.spec.population) ? oldSelf.spec.population : -1))",
        message = "spec.population is immutable once the search has started; create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || (has(self.spec.searchSpace) == has(oldSelf.spec.searchSpace) && (!has(self.spec.searchSpace) || self.spec.searchSpace == oldSelf.spec.searchSpace))",
        message = "spec.searchSpace is immutable once the search has started; create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.seed) ? self.spec.seed : -1) == (has(oldSelf.spec.seed) ? oldSelf.spec.seed : -1))",
        message = "spec.seed is immutable once the search has started; create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.epochsPerGeneration) ? self.spec.epochsPerGeneration : 1) == (has(oldSelf.spec.epochsPerGeneration) ? oldSelf.spec.epochsPerGeneration : 1))",
        message = "spec.epochsPerGeneration is immutable once the search has started (every checkpoint records the epochs it was trained for); create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.strategy) ? self.spec.strategy : 'pbt-nas') == (has(oldSelf.spec.strategy) ? oldSelf.spec.strategy : 'pbt-nas'))",
        message = "spec.strategy is immutable once the search has started (the decisions already taken follow it); create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.objective) ? self.spec.objective : 'maximize') == (has(oldSelf.spec.objective) ? oldSelf.spec.objective : 'maximize'))",
        message = "spec.objective is immutable once the search has started (the scores already ranked follow it); create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.trainer) && has(self.spec.trainer.task) ? self.spec.trainer.task : '') == (has(oldSelf.spec.trainer) && has(oldSelf.spec.trainer.task) ? oldSelf.spec.trainer.task : ''))",
        message = "spec.trainer.task is immutable once the search has started (the scores already recorded were measured on it); create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.storage) && has(self.spec.storage.persistentVolumeClaim) ? self.spec.storage.persistentVolumeClaim.claimName : '') == (has(oldSelf.spec.storage) && has(oldSelf.spec.storage.persistentVolumeClaim) ? oldSelf.spec.storage.persistentVolumeClaim.claimName : ''))",
        message = "spec.storage.persistentVolumeClaim is immutable once the search has started (the checkpoints are on that claim); create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.storage) && has(self.spec.storage.s3)) == (has(oldSelf.spec.storage) && has(oldSelf.spec.storage.s3)) && (!has(self.spec.storage) || !has(self.spec.storage.s3) || self.spec.storage.s3 == oldSelf.spec.storage.s3))",
        message = "spec.storage.s3 is immutable once the search has started (the checkpoints are in that bucket); create a new PbtNasSearch to change it")
@ValidationRule(value = "!has(oldSelf.spec) || !has(self.spec) || ((has(self.spec.schedule) ? self.spec.schedule : 'synchronous') == (has(oldSelf.spec.schedule) ? oldSelf.spec.schedule : 'synchronous'))",
        message = "spec.schedule is immutable once the search has started (its decisions and arrival log follow it); create a new PbtNasSearch to change it")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Best", jsonPath = ".status.best.score", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Of", jsonPath = ".spec.generations", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Generation", jsonPath = ".status.generation", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
// Progress in the terms of the schedule: members done of the generation, or member-steps done of the total.
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.conditions[?(@.type==\"Progressing\")].message",
        type = AdditionalPrinterColumn.Type.STRING)
// core keeps affinity and volumes as plain JSON (it has no Kubernetes model); the CRD gets Kubernetes' own schemas.
@SchemaSwap(originalType = TrainerSpec.class, fieldName = "affinity", targetType = Affinity.class)
@SchemaSwap(originalType = TrainerSpec.class, fieldName = "volumes", targetType = PbtNasSearch.VolumeList.class)
public class PbtNasSearch extends CustomResource<SearchSpec, SearchStatus> implements Namespaced {
    /** Only the CRD schema of spec.trainer.volumes: a list of Kubernetes volumes. */
    static final class VolumeList extends ArrayList<Volume> {
    }
}
