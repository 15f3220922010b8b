package io.pbtnas.cli.validate;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import io.pbtnas.core.pod.Quantities;

import java.util.List;

/**
 * Kubernetes' CEL functions that dev.cel lacks and pbtnas's rules may need. The API server adds
 * libraries to standard CEL; dev.cel's own extensions cover its strings, sets, bindings and optional
 * types (registered in {@link CelRules}). Kubernetes' quantity library is not in dev.cel: its
 * {@code isQuantity(string)} is provided here, with core's {@link Quantities} grammar (the one the API
 * server parses). The CRD's rules compile against exactly this environment (CrdRulesCompileTest), so a
 * rule using any other Kubernetes function fails the build, naming the rule.
 */
final class KubernetesCelLibrary {
    private KubernetesCelLibrary() {
    }

    static List<CelFunctionDecl> declarations() {
        return List.of(CelFunctionDecl.newFunctionDeclaration("isQuantity",
                CelOverloadDecl.newGlobalOverload("isQuantity_string", SimpleType.BOOL, SimpleType.STRING)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(CelFunctionBinding.from("isQuantity_string", String.class, Quantities::isQuantity));
    }
}
