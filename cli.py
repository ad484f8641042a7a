from qa.cli import main

if __name__ == "__main__":  # not when a worker process of the pool imports it
    main()
