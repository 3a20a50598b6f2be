extension ModelCatalog {
    // Azure OpenAI bills the same per-token rates as OpenAI for Global Standard deployments of these
    // models; Data Zone and Regional deployments cost more (about 10%) and are not modelled. Entries are
    // named after the model, as deployments often are; `model(for:)` falls back to the OpenAI entry for any
    // other deployment name that equals an OpenAI model id.
    static let azureDeploymentNames = ["gpt-5", "gpt-5-mini", "gpt-4.1", "gpt-4o", "gpt-4o-mini", "o4-mini"]

    static let azureModels: [CatalogModel] = azureDeploymentNames.compactMap { name in
        openAIModels.first { $0.ref.name == name }.map { moved($0, to: .azure, name: name) }
    }
}
