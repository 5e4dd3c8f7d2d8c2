using Evaluation.Domain.Comments;

namespace Evaluation.Grains.Hosting;

/// <summary>
/// Loads jieba's dictionary and the topic lexicon as the silo starts, before it takes traffic: the first 差评 does not
/// wait the half second of CPU the load takes, and a build that lost the dictionary files fails to start with a
/// message naming them instead of failing ingestion. The load starts with the silo's first stage and is awaited only
/// before application services start, so it runs beside the schema migration and the cluster join, which mostly wait
/// on the database, instead of after them: awaited where it started, it held a restarted silo's gateway closed for
/// that half second and more (docs/performance.md, round 4).
/// </summary>
internal sealed class CommentTopicsWarmUp : ILifecycleParticipant<ISiloLifecycle>
{
    private Task loading = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(CommentTopicsWarmUp), ServiceLifecycleStage.First, _ =>
        {
            loading = Task.Run(CommentTopics.Load);
            return Task.CompletedTask;
        });
        lifecycle.Subscribe(nameof(CommentTopicsWarmUp), ServiceLifecycleStage.ApplicationServices, _ => loading);
    }
}
