using Xunit;

namespace Evaluation.BrowserTests.Infrastructure;

/// <summary>
/// One running system and one browser for all browser tests, run one after another: a cluster and a Chromium
/// per test class would fight over the machine and turn waits into timeouts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<Portal>
{
    public const string Name = "portal";
}
