using Evaluation.Contracts.Ingestion;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>The sources tests send as when they talk to the ingest grain directly.</summary>
public static class TestSources
{
    /// <summary>The default source (the key of <c>EVAL_SOURCE_KEY</c>), which may send for everything.</summary>
    public static readonly SourceIdentity Default = new(SourceNames.Default, SourceScope.Any);
}
